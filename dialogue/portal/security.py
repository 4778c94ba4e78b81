"""The sign-in lock-out backend (django-axes), first in AUTHENTICATION_BACKENDS.

Attempts are counted per account and per client address (dialogue.client_ip, which
knows how many proxies to trust).
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


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
