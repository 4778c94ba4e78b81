"""Middleware of the app's own."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse

from dialogue.audit import audit_event

# Path values that are ids or codes are logged; anything that may be a secret
# (an invitation or password-reset token) is not.
SECRET_KEY_PARTS = ("token", "uid", "key", "secret", "password")
PLAIN_VALUE = re.compile(r"^[\w.-]{1,64}$")


def loggable_kwargs(kwargs: dict) -> dict:
    """Ids as numbers (the API's router passes them as text), codes as text."""
    kept: dict = {}
    for name, value in kwargs.items():
        if any(part in name.lower() for part in SECRET_KEY_PARTS):
            continue
        if isinstance(value, str) and value.isascii() and value.isdigit():
            value = int(value)
        if isinstance(value, int) or (isinstance(value, str) and PLAIN_VALUE.match(value)):
            kept[name] = value
    return kept


class AccessDeniedAuditMiddleware:
    """Logs `access.denied` when a signed-in user is answered 403, or 404 by a URL
    that exists: how a record outside the user's visibility answers (visible_to()
    makes it a 404). Logged: the URL pattern's name and its ids, never the query
    string. An address that matches no pattern is not an authorization question."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in (403, 404):
            user = getattr(request, "user", None)
            match = getattr(request, "resolver_match", None)
            if user is not None and user.is_authenticated and match is not None:
                audit_event(
                    "access.denied",
                    user=user,
                    request=request,
                    status=response.status_code,
                    method=request.method,
                    kwargs=loggable_kwargs(match.kwargs),
                )
        return response
