"""Writes on dialogue sessions."""

from __future__ import annotations

from django.db import transaction

from dialogue.enums import SessionStatus
from dialogue.models import DialogueSession, User
from dialogue.services.common import check_transition, lock_for_update, save_validated
from dialogue.workflows import SESSION_TRANSITIONS


@transaction.atomic
def session_change_status(
    *, session: DialogueSession, actor: User, status: str, expected_version: int | None = None
) -> DialogueSession:
    """planned → held → minutes approved."""
    session = lock_for_update(session, expected_version)
    check_transition(SESSION_TRANSITIONS, SessionStatus, session.status, status)
    session.status = status
    save_validated(session, actor=actor, update_fields=["status"])
    return session
