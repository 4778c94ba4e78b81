"""Token authentication: obtain a token with a password, list your tokens, revoke them."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken import serializers as authtoken
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dialogue.api.fields import StrictCharField
from dialogue.api.serializers.common import ApiModelSerializer
from dialogue.api.throttles import TokenLoginThrottle
from dialogue.audit import audit_token_created, audit_token_revoked
from dialogue.models import ApiToken, User
from dialogue.services.tokens import (
    api_token_issue,
    api_token_list,
    api_token_revoke,
    api_tokens_revoke_all,
)

TokenResponse = inline_serializer(
    "TokenResponse",
    fields={
        "token": StrictCharField(help_text="The key: shown this once, never again."),
        "id": serializers.IntegerField(),
        "name": StrictCharField(),
        "expires_at": serializers.DateTimeField(
            help_text="The token stops working then (API_TOKEN_TTL_DAYS after issue), or "
            "earlier when its owner changes or resets the password or revokes it."
        ),
    },
)


class AuthTokenSerializer(authtoken.AuthTokenSerializer):
    """DRF's, with the user name no longer than a user name can be: a longer one was
    checked anyway and then written to the failed-sign-in log (django-axes), whose
    column PostgreSQL refuses it for. An optional name tells the tokens apart."""

    username = StrictCharField(
        label=authtoken.AuthTokenSerializer._declared_fields["username"].label,
        write_only=True,
        # DRF takes None (no limit) as well; the stubs allow only int.
        max_length=User._meta.get_field("username").max_length,  # type: ignore[arg-type]
    )
    # DRF's own, refusing a number as the other text fields do.
    password = StrictCharField(
        label=authtoken.AuthTokenSerializer._declared_fields["password"].label,
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
    )
    name = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=ApiToken._meta.get_field("name").max_length,  # type: ignore[arg-type]
        write_only=True,
        help_text='What the token is for, e.g. "nightly sync"; shown in your token list.',
    )


class ApiTokenSerializer(ApiModelSerializer):
    current = serializers.SerializerMethodField(
        help_text="True for the token that signed this request."
    )

    class Meta:
        model = ApiToken
        fields = ["id", "name", "created_at", "expires_at", "last_used_at", "current"]
        read_only_fields = fields

    def get_current(self, token) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, ApiToken) and auth.pk == token.pk


class TokenView(APIView):
    """POST username and password for a new token; DELETE revokes the token that signs
    the request (from a browser session: every token of the caller)."""

    throttle_classes = [TokenLoginThrottle]

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(request=AuthTokenSerializer, responses={200: TokenResponse}, auth=[])
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, key = api_token_issue(
            user=serializer.validated_data["user"],
            name=serializer.validated_data.get("name", ""),
        )
        audit_token_created(request, token)
        return Response(
            {"token": key, "id": token.pk, "name": token.name, "expires_at": token.expires_at}
        )

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Token revoked.")})
    def delete(self, request):
        if isinstance(request.auth, ApiToken):
            token = api_token_revoke(user=request.user, token_id=request.auth.pk)
            audit_token_revoked(request, token, reason="signed_out")
        else:
            api_tokens_revoke_all(user=request.user, reason="signed_out")
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListView(APIView):
    """Your own live tokens (never their keys), newest first."""

    @extend_schema(responses={200: ApiTokenSerializer(many=True)})
    def get(self, request):
        tokens = api_token_list(request.user)
        return Response(ApiTokenSerializer(tokens, many=True, context={"request": request}).data)


class TokenDetailView(APIView):
    """Revoke one of your tokens; another person's token is "not found", like a missing one."""

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Token revoked.")})
    def delete(self, request, pk: int):
        try:
            token = api_token_revoke(user=request.user, token_id=pk)
        except ApiToken.DoesNotExist as missing:
            raise NotFound() from missing
        audit_token_revoked(request, token, reason="revoked")
        return Response(status=status.HTTP_204_NO_CONTENT)
