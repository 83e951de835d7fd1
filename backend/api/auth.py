"""Token login: POST /api/auth/token/ with username and password."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenLoginView(ObtainAuthToken):
    """Exchange username and password for an API token.

    Send it as `Authorization: Token <token>`. Wrong credentials answer 400.
    """

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        request=LoginSerializer,
        responses={
            200: TokenSerializer,
            400: inline_serializer(
                "LoginError",
                {
                    "non_field_errors": serializers.ListField(
                        child=serializers.CharField(), required=False
                    ),
                    "username": serializers.ListField(
                        child=serializers.CharField(), required=False
                    ),
                    "password": serializers.ListField(
                        child=serializers.CharField(), required=False
                    ),
                },
            ),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
