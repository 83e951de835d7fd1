"""REST API of this app: token login, API tokens, invitations."""

from typing import Any, cast

from django.contrib.auth import authenticate
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from backend.accounts.lockout import lockout_message
from backend.accounts.models import ApiToken, Invitation
from backend.accounts.services import invite, issue_token, latest_expiry, revoke_invitation
from backend.api.parsers import BoundedJSONParser
from backend.api.viewsets import PatchOnlyMixin, TenantGenericViewSet
from backend.organisations.access import COORDINATOR_ONLY, TenantHttpRequest, attach_tenant

BAD_CREDENTIALS = _("Mit diesen Zugangsdaten ist keine Anmeldung möglich.")


# --- Token login ---------------------------------------------------------------------


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=100, required=False, default="", help_text="Bezeichnung, z. B. das Skript."
    )
    days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=365,
        help_text="Gültigkeit in Tagen (Standard: API_TOKEN_TTL_DAYS).",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)


def _error_list():
    return serializers.ListField(child=serializers.CharField(), required=False)


class TokenLoginView(APIView):
    """Exchange username and password for an API token that expires.

    Send it as `Authorization: Token <token>`. Wrong credentials answer 400; too many
    attempts answer 429 (rate limit per address, lockout per username and address).
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [BoundedJSONParser, FormParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        request=LoginSerializer,
        responses={
            200: TokenSerializer,
            400: inline_serializer(
                "LoginError",
                {
                    "non_field_errors": _error_list(),
                    "username": _error_list(),
                    "password": _error_list(),
                    "name": _error_list(),
                    "days": _error_list(),
                    "detail": serializers.CharField(required=False),
                },
            ),
            429: inline_serializer("TooManyAttempts", {"detail": serializers.CharField()}),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        params = LoginSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        # The Django request, so that django-axes can mark it as locked out.
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if user is None:
            raise serializers.ValidationError({"non_field_errors": [BAD_CREDENTIALS]})
        issued = issue_token(user, name=data["name"], days=data.get("days"))
        return Response({"token": issued.key, "expires_at": issued.token.expires_at})

    def throttled(self, request, wait):
        raise exceptions.Throttled(wait=wait, detail=lockout_message_for(wait))


def lockout_message_for(wait: float | None) -> str:
    if wait is None:
        return str(lockout_message())
    return str(
        _("Zu viele Anmeldeversuche. Bitte in %(seconds)s Sekunden erneut versuchen.")
        % {"seconds": int(wait) + 1}
    )


# --- API tokens ----------------------------------------------------------------------


class ApiTokenSerializer(serializers.ModelSerializer):
    user: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    current = serializers.SerializerMethodField(help_text="Das Token dieser Anfrage.")

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "user",
            "name",
            "hint",
            "created_at",
            "expires_at",
            "last_used_at",
            "current",
        ]
        read_only_fields = ["hint", "created_at", "last_used_at"]

    def get_current(self, token: ApiToken) -> bool:
        return getattr(self.context["request"].auth, "pk", None) == token.pk

    def validate_expires_at(self, value):
        now = timezone.now()
        if value <= now:
            raise serializers.ValidationError(_("Das Ablaufdatum muss in der Zukunft liegen."))
        if value > latest_expiry(now):
            raise serializers.ValidationError(
                _("Höchstens %(days)s Tage ab heute.") % {"days": (latest_expiry(now) - now).days}
            )
        return value


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    PatchOnlyMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your API tokens; a coordinator also sees those of the organisation's members.

    PATCH changes the name or shortens/extends the expiry; DELETE revokes at once.
    """

    queryset = ApiToken.objects.none()
    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields: list[str] = []
    ordering_fields = ["created_at", "expires_at", "last_used_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        request = self.request
        visible = Q(user=request.user)
        page_request = cast(TenantHttpRequest, request._request)
        if attach_tenant(page_request) and page_request.role in COORDINATOR_ONLY:
            visible |= Q(user__memberships__organisation=page_request.org)
        tokens = ApiToken.objects.filter(visible).select_related("user").distinct()
        username = request.query_params.get("user")
        return tokens.filter(user__username=username) if username else tokens


# --- Invitations ---------------------------------------------------------------------


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    created_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    accepted_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "role",
            "email",
            "hint",
            "status",
            "created_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "accepted_by",
            "revoked_at",
        ]
        read_only_fields = [f for f in fields if f not in ("role", "email")]

    def get_status(self, invitation: Invitation) -> str:
        if invitation.accepted_at:
            return "accepted"
        if invitation.revoked_at:
            return "revoked"
        return "open" if invitation.is_open(timezone.now()) else "expired"


class IssuedInvitationSerializer(InvitationSerializer):
    accept_url = serializers.CharField(read_only=True, help_text="Nur jetzt sichtbar.")

    class Meta(InvitationSerializer.Meta):
        fields = [*InvitationSerializer.Meta.fields, "accept_url"]


class InvitationViewSet(
    TenantGenericViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """Invite someone to the organisation (coordinators only).

    The answer to *create* contains the one-time `accept_url`; it is also e-mailed
    when an address is given. The link creates a new account; it never adds an
    existing one.
    """

    queryset = Invitation.objects.none()
    serializer_class = InvitationSerializer
    read_roles = COORDINATOR_ONLY
    write_roles = COORDINATOR_ONLY
    ordering_fields = ["created_at", "expires_at"]

    def scope(self, org):
        return org.invitations.select_related("created_by", "accepted_by")

    @extend_schema(request=InvitationSerializer, responses={201: IssuedInvitationSerializer})
    def create(self, request, *args, **kwargs):
        params = InvitationSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        issued = invite(request.org, data["role"], data.get("email", ""), request.user)
        body = IssuedInvitationSerializer(issued.invitation, context=self.get_serializer_context())
        # The invitation keeps only a hash: the link exists in this answer alone.
        answer = {**body.data, "accept_url": issued.accept_url}
        return Response(answer, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: InvitationSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """The link stops working at once. Revoking twice changes nothing."""
        invitation = revoke_invitation(self.get_object())
        return Response(self.get_serializer(invitation).data)


def register(router) -> None:
    """Register this app's ViewSets on the /api/ router."""
    router.register("tokens", ApiTokenViewSet, basename="token")
    router.register("invitations", InvitationViewSet, basename="invitation")
