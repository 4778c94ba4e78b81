"""API tokens: issue, authenticate, revoke; a new password revokes every token of its owner.

A person may hold several tokens (a laptop, a nightly job …), each named, each ending
API_TOKEN_TTL_DAYS after it was issued. Only a hash of the key is stored; the key is
shown once, in the answer that issues it. Revoking deletes the row; the audit log
("token.created", "token.revoked") keeps who did what.
"""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from dialogue.audit import audit_token_revoked
from dialogue.models import ApiToken, User
from dialogue.models.tokens import token_key_hash

if TYPE_CHECKING:
    from dialogue.querysets import ApiTokenQuerySet

# How stale `last_used_at` may get before a request writes it again: one write per
# token per interval, not one per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


def api_token_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS)


@transaction.atomic
def api_token_issue(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and its key (the only time the key is known).
    The person's expired tokens are removed on the way."""
    ApiToken.objects.filter(user=user, expires_at__lte=timezone.now()).delete()
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        key_hash=token_key_hash(key),
        expires_at=timezone.now() + api_token_lifetime(),
    )
    return token, key


def api_token_authenticate(key: str) -> ApiToken | None:
    """The live token for `key` with its (active) user, or None: unknown, expired,
    revoked and an inactive owner look the same."""
    token = (
        ApiToken.objects.live()
        .select_related("user")
        .filter(key_hash=token_key_hash(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_list(user: User) -> ApiTokenQuerySet[ApiToken]:
    """The person's own live tokens, newest first."""
    return ApiToken.objects.visible_to(user).live().order_by("-created_at", "-id")


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of `user`'s own tokens; someone else's, or none, raises
    ApiToken.DoesNotExist (the caller answers 404 for both)."""
    token = ApiToken.objects.visible_to(user).get(pk=token_id)
    token.delete()
    token.pk = token_id  # deleted rows keep their id for the audit entry
    return token


@transaction.atomic
def api_tokens_revoke_all(*, user: User, reason: str, actor: User | None = None) -> int:
    """End every token of `user` (password changed, account deactivated …), each audited
    with `reason`; returns how many."""
    tokens = list(ApiToken.objects.filter(user=user).order_by("pk"))
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).delete()
    for token in tokens:
        audit_token_revoked(None, token, actor=actor or user, reason=reason)
    return len(tokens)


def _revoke_on_new_password(
    sender: type[User],
    instance: User,
    created: bool,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    # Every way of setting a password (portal, workspace, admin, reset, changepassword)
    # ends in User.save() after set_password(), which keeps the new raw password in
    # `_password` until the save completes. A hash upgrade at sign-in clears it first:
    # the same password, so the tokens stay.
    if created or getattr(instance, "_password", None) is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    api_tokens_revoke_all(user=instance, reason="password_changed")


def connect_signals() -> None:
    """Called from DialogueConfig.ready()."""
    post_save.connect(
        _revoke_on_new_password, sender=User, dispatch_uid="dialogue.tokens.new_password"
    )
