"""`Authorization: Token <key>` against dialogue's own tokens: hashed, named, expiring."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from dialogue.services.tokens import api_token_authenticate


class ExpiringTokenAuthentication(authentication.TokenAuthentication):
    """DRF's header format and 401 answer; unknown, expired, revoked and an inactive
    owner's tokens get the same message. `request.auth` is the ApiToken."""

    def authenticate_credentials(self, key):
        token = api_token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return token.user, token


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = ExpiringTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            # An apiKey scheme sends the value as it is, so the description says what it is.
            "description": (
                "Send the header `Authorization: Token <key>`: the word `Token`, one space, "
                "then the key from POST /api/v1/auth/token/. A token ends at its "
                "`expires_at`, when its owner changes or resets the password, or when it "
                "is revoked."
            ),
        }
