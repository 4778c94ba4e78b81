"""Calendar feed addresses: a signed token naming the person and a fingerprint of their
password hash.

Calendar clients fetch the feed without a session cookie, so the address itself
authenticates. Changing the password (or the SECRET_KEY) revokes every address issued
before; an inactive person or one who may not use the workspace gets nothing.
"""

from __future__ import annotations

from django.core import signing

from dialogue.models import User
from dialogue.permissions import may_use_workspace

TOKEN_SALT = "dialogue.calendar-feed"  # noqa: S105 - a signing salt, not a secret


def _fingerprint(user: User) -> str:
    return user.get_session_auth_hash()[:16]


def feed_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "k": _fingerprint(user)}, salt=TOKEN_SALT, compress=True)


def user_for_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not may_use_workspace(user) or data.get("k") != _fingerprint(user):
        return None
    return user
