"""The client's address for sign-in lock-outs (django-axes' AXES_CLIENT_IP_CALLABLE).

Behind a reverse proxy every request comes from the proxy's address, so a
per-address lock-out would lock everyone out at once. With TRUSTED_PROXY_COUNT
proxies in front, each appending the address it saw to X-Forwarded-For, the
client is the entry that many places from the right; entries further left are
whatever the client chose to send and are never trusted.
"""

from __future__ import annotations

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lock-out check, first in AUTHENTICATION_BACKENDS.

    Every sign-in form passes the request (Django's and DRF's forms do), so every
    attempt from outside is counted and refused while locked out. A caller without a
    request (Django's test `Client.login`, a management command) has no client
    to lock out: it goes straight to the password check instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
