"""Portal accounts: deactivation (which ends every session at once) and language preference."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue.enums import Language
from dialogue.models import Invitation, User
from dialogue.permissions import can_deactivate
from dialogue.services.common import PermissionDeniedError, attribute_history
from dialogue.services.tokens import api_tokens_revoke_all


def user_sessions_end(user: User) -> int:
    """Delete every stored session of `user`; returns how many.

    Sessions are not indexed by user, so the live ones are read and decoded: fine
    for the number of people this system serves. With a cache-only session engine
    nothing can be enumerated, but a deactivated user is refused on the next
    request anyway (the authentication backend ignores inactive users).
    """
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0
    model = store_class.get_model_class()
    theirs = [
        session.session_key
        for session in model.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk)
    ]
    for session_key in theirs:
        store_class(session_key=session_key).delete()  # also clears a cached_db copy
    return len(theirs)


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> int:
    """Deactivate `user` and end their access at once: sessions, API token, pending invitations
    they sent. Returns the number of sessions ended. Safe to repeat."""
    if not can_deactivate(actor, user):
        raise PermissionDeniedError(_("You cannot deactivate this person."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        user.is_active = False
        attribute_history(user, actor)
        user.save(update_fields=["is_active"])
    api_tokens_revoke_all(user=user, reason="deactivated", actor=actor)
    Invitation.objects.filter(
        invited_by=user, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    return user_sessions_end(user)


def users_deactivate(*, actor: User, users: Iterable[User]) -> tuple[list[User], list[User]]:
    """Deactivate each of `users` the actor may deactivate, each in its own transaction, so
    that one refusal does not undo the others. Returns (deactivated, refused)."""
    done: list[User] = []
    refused: list[User] = []
    for person in users:
        try:
            user_deactivate(actor=actor, user=person)
        except PermissionDeniedError:
            refused.append(person)
        else:
            done.append(person)
    return done, refused


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """The language of the user's pages at sign-in and of every e-mail they receive."""
    if language not in Language.values:
        raise ValidationError({"language": _("Choose Japanese or English.")}, code="invalid")
    user.language = language
    attribute_history(user, user)
    user.save(update_fields=["language"])
    return user
