"""Writes on concerns submitted by companies."""

from __future__ import annotations

from django.db import transaction

from dialogue.enums import ConcernStatus
from dialogue.models import Concern, User
from dialogue.services.common import check_transition, lock_for_update, save_validated
from dialogue.workflows import CONCERN_TRANSITIONS


@transaction.atomic
def concern_change_status(
    *, concern: Concern, actor: User, status: str, expected_version: int | None = None
) -> Concern:
    concern = lock_for_update(concern, expected_version)
    check_transition(CONCERN_TRANSITIONS, ConcernStatus, concern.status, status)
    concern.status = status
    save_validated(concern, actor=actor, update_fields=["status"])
    return concern
