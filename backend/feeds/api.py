"""REST API for staff: the organisation's feed links, and create / rotate / revoke.

The secret token (and with it the URLs) is in the answer of create and rotate only;
afterwards only its first characters are shown, to tell links apart.
"""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.api.filters import TenantFilterSet
from backend.api.viewsets import TenantGenericViewSet
from backend.families.models import Family
from backend.feeds import services
from backend.feeds.models import FeedLink
from backend.fleet.models import Driver
from backend.lib import clock
from backend.organisations.access import TenantRelatedField


class FeedLinkSerializer(serializers.ModelSerializer):
    family = TenantRelatedField(
        queryset=Family.objects.none(),
        scope=lambda org: org.families.all(),
        required=False,
        allow_null=True,
    )
    driver = TenantRelatedField(
        queryset=Driver.objects.none(),
        scope=lambda org: org.drivers.all(),
        required=False,
        allow_null=True,
    )
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = FeedLink
        fields = [
            "id",
            "kind",
            "family",
            "driver",
            "token_hint",
            "active",
            "created_at",
            "rotated_at",
            "revoked_at",
        ]
        read_only_fields = ["token_hint", "created_at", "rotated_at", "revoked_at"]
        # "One active link each" is checked by the service, with a clear message.
        validators: list = []


class IssuedLinkSerializer(FeedLinkSerializer):
    """The answer to create and rotate: the only time the token is shown."""

    token = serializers.CharField(read_only=True)
    feed_url = serializers.CharField(read_only=True)
    webcal_url = serializers.CharField(read_only=True)
    subscribe_url = serializers.CharField(read_only=True, allow_null=True)

    class Meta(FeedLinkSerializer.Meta):
        fields = [*FeedLinkSerializer.Meta.fields, "token", "feed_url", "webcal_url"]
        fields += ["subscribe_url"]


def issued_data(issued: services.IssuedLink) -> dict:
    data = dict(FeedLinkSerializer(issued.link).data)
    urls = issued.urls
    data.update(
        token=issued.token,
        feed_url=urls["feed_url"],
        webcal_url=urls["webcal_url"],
        subscribe_url=urls.get("subscribe_url"),
    )
    return data


class FeedLinkFilter(TenantFilterSet):
    """`family`/`driver` are plain ids on the scoped queryset: another org's id finds nothing."""

    active = django_filters.BooleanFilter(field_name="revoked_at", lookup_expr="isnull")

    class Meta:
        model = FeedLink
        fields = ["kind", "family", "driver", "active"]


class FeedLinkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantGenericViewSet):
    """Calendar links of families, drivers and the organisation (coordinators and staff).

    No update or delete: a link is rotated or revoked, and revoked links stay listed.
    """

    queryset = FeedLink.objects.none()
    serializer_class = FeedLinkSerializer
    filterset_class = FeedLinkFilter
    ordering_fields = ["created_at", "kind"]
    ordering = ["-created_at"]

    def scope(self, org):
        return org.feed_links.all()

    @extend_schema(responses={201: IssuedLinkSerializer})
    def create(self, request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = services.create_link(
            request.org,
            serializer.validated_data["kind"],
            family=serializer.validated_data.get("family"),
            driver=serializer.validated_data.get("driver"),
            user=request.user,
            day=clock.today(),
        )
        return Response(issued_data(issued), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: IssuedLinkSerializer})
    @action(detail=True, methods=["post"])
    def rotate(self, request, pk=None) -> Response:
        """A new secret for this link; the old URL stops working at once."""
        issued = services.rotate_link(self.get_object(), clock.now())
        return Response(issued_data(issued))

    @extend_schema(request=None, responses={200: FeedLinkSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None) -> Response:
        """The URL stops working at once (404). Revoking twice is harmless."""
        link = services.revoke_link(self.get_object(), clock.now())
        return Response(FeedLinkSerializer(link).data)


def register(router) -> None:
    """Register this app's ViewSets on the /api/ router."""
    router.register("feed-links", FeedLinkViewSet, basename="feed-link")
