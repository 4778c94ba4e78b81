"""The client's address, as the sign-in lock-out (django-axes' AXES_CLIENT_IP_CALLABLE)
and the audit log see it.

Behind a reverse proxy every request comes from the proxy's address, so a
per-address lock-out would lock everyone out at once. With TRUSTED_PROXY_COUNT
proxies in front, each appending the address it saw to X-Forwarded-For, the
client is the entry that many places from the right; entries further left are
whatever the client chose to send and are never trusted.
"""

from __future__ import annotations

import ipaddress

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
