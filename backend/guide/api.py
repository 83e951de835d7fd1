"""The public catalogue of offers as JSON (`/api/public/offers/`), no login needed.

It answers from the guide's one search (`search.find_offers`), so the API, the pages and
the brochure never disagree about which offers fit.
"""

from typing import Any

from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from backend.guide.search import SearchForm, find_offers, listed_offers
from backend.lib.schedule import WEEKDAY_NAMES_DE
from backend.offers.models import GroupOffer, Sector


class PublicOrganisationSerializer(serializers.Serializer):
    # Plain strings: each may be empty, which "format: email/uri" would not allow.
    name = serializers.CharField()
    email = serializers.CharField(source="contact_email", help_text="E-Mail-Adresse oder leer")
    phone = serializers.CharField(source="contact_phone")
    website = serializers.CharField(help_text="Adresse der Webseite oder leer")


class PublicOfferSerializer(serializers.ModelSerializer):
    """What a brochure shows. Nothing personal; the street only where the provider allows."""

    title = serializers.CharField(source="display_calendar_title")
    town = serializers.CharField(source="venue.town")
    street = serializers.SerializerMethodField()
    weekday = serializers.IntegerField(help_text="0 = Montag … 6 = Sonntag")
    weekday_name = serializers.SerializerMethodField()
    schedule_summary = serializers.CharField()
    sectors = serializers.ListField(child=serializers.ChoiceField(choices=Sector.choices))
    organisation = PublicOrganisationSerializer()
    distance_km = serializers.SerializerMethodField(
        help_text="Luftlinie vom gesuchten Ort (place), sonst leer"
    )

    class Meta:
        model = GroupOffer
        fields = [
            "id",
            "title",
            "public_description",
            "easy_language",
            "town",
            "street",
            "weekday",
            "weekday_name",
            "start_time",
            "duration_minutes",
            "schedule_summary",
            "audience",
            "min_age",
            "max_age",
            "sectors",
            "join_anytime",
            "registration_required",
            "free_of_charge",
            "shuttle_offered",
            "paired_offer",
            "organisation",
            "distance_km",
        ]
        read_only_fields = fields

    def get_street(self, offer: GroupOffer) -> str:
        return offer.venue.street if offer.show_address else ""

    def get_weekday_name(self, offer: GroupOffer) -> str:
        return WEEKDAY_NAMES_DE[offer.weekday]

    def get_distance_km(self, offer: GroupOffer) -> float | None:
        return self.context.get("distances", {}).get(offer.pk)


SEARCH_PARAMETERS = [
    OpenApiParameter("age", OpenApiTypes.INT, description="Alter des Kindes (0–99)"),
    OpenApiParameter("place", OpenApiTypes.STR, description="Postleitzahl oder Ort"),
    OpenApiParameter("radius_km", OpenApiTypes.INT, description="Umkreis um place (Standard 20)"),
    OpenApiParameter("weekday", OpenApiTypes.INT, description="0 = Montag … 6 = Sonntag"),
    OpenApiParameter("sector", OpenApiTypes.STR, enum=Sector.values),
    OpenApiParameter("audience", OpenApiTypes.STR, enum=["children", "parents", "families"]),
    OpenApiParameter("registration_required", OpenApiTypes.BOOL),
    OpenApiParameter("shuttle_offered", OpenApiTypes.BOOL),
    OpenApiParameter("town", OpenApiTypes.STR, description="Ort der Gruppe (genau)"),
    OpenApiParameter("provider", OpenApiTypes.STR, description="Kurzname des Trägers"),
]


def _form_data(params: QueryDict) -> QueryDict:
    """The API spells yes/no as true/false, the guide's form as yes/no."""
    data = params.copy()
    for key in ("registration_required", "shuttle_offered"):
        value = data.get(key, "").lower()
        data[key] = {"true": "yes", "false": "no"}.get(value, value)
    return data


class PublicOfferViewSet(viewsets.ReadOnlyModelViewSet):
    """The public catalogue of all organisations' listed offers (no login needed).

    Only offers that their provider lists and a coordinator approved; offers whose last
    date has passed are left out. With `place`, the nearest come first.
    """

    queryset = GroupOffer.objects.none()
    serializer_class = PublicOfferSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []  # a stale token must not lock families out
    filter_backends: list = []  # the guide's search filters (see `list`)

    def get_queryset(self):
        return listed_offers()

    @extend_schema(parameters=SEARCH_PARAMETERS)
    def list(self, request: Request, *args, **kwargs) -> Response:
        form = SearchForm(_form_data(request.query_params))
        if not form.is_valid():
            raise serializers.ValidationError(
                {field: [str(m) for m in messages] for field, messages in form.errors.items()}
            )
        hits = find_offers(form.criteria(), self.get_queryset())
        offers: Any = [hit.offer for hit in hits]  # the paginator takes any sequence
        page: list[GroupOffer] | None = self.paginate_queryset(offers)
        distances = {hit.offer.pk: hit.distance_km for hit in hits}
        context = {**self.get_serializer_context(), "distances": distances}
        data = PublicOfferSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)


def register(router) -> None:
    router.register("public/offers", PublicOfferViewSet, basename="public-offer")
