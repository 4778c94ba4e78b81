"""Token authentication: obtain a token with a password, revoke it when done."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken import serializers as authtoken
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dialogue.api.throttles import TokenLoginThrottle
from dialogue.models import User

TokenResponse = inline_serializer("TokenResponse", fields={"token": serializers.CharField()})


class AuthTokenSerializer(authtoken.AuthTokenSerializer):
    """DRF's, with the user name no longer than a user name can be: a longer one was
    checked anyway and then written to the failed-sign-in log (django-axes), whose
    column PostgreSQL refuses it for."""

    username = serializers.CharField(
        label=authtoken.AuthTokenSerializer._declared_fields["username"].label,
        write_only=True,
        max_length=User._meta.get_field("username").max_length,
    )


class TokenView(APIView):
    """POST username and password for a token; DELETE revokes the caller's token."""

    throttle_classes = [TokenLoginThrottle]

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(request=AuthTokenSerializer, responses={200: TokenResponse}, auth=[])
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Token revoked.")})
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
