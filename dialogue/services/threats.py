"""Writes on the threat register."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dialogue.enums import Marking, ThreatStatus
from dialogue.models import (
    ChokepointTechnology,
    Concern,
    DialogueSession,
    Sector,
    Threat,
    ThreatCategory,
    User,
)
from dialogue.permissions import can_manage_sector
from dialogue.services.common import (
    PermissionDeniedError,
    apply_changes,
    check_transition,
    lock_for_update,
    save_validated,
)
from dialogue.workflows import THREAT_TRANSITIONS

THREAT_UPDATABLE = {
    "title",
    "description",
    "sector",
    "category",
    "likelihood",
    "impact",
    "marking",
    "source_session",
    "source_concern",
    "chokepoints",
    "named_users",
}


def _require_sector(actor: User, sector: Sector) -> None:
    if not can_manage_sector(actor, sector):
        raise PermissionDeniedError(_("You can change the register only for your own sectors."))


def threat_category_by_code(code: str) -> ThreatCategory:
    """The leaf threat code such as "1-2"; unknown or family-level codes are a field error."""
    category = ThreatCategory.objects.filter(code=str(code).strip(), parent__isnull=False).first()
    if category is None:
        raise ValidationError(
            {
                "category": _("“%(code)s” is not a threat code (use one such as 1-2 or 2-1).")
                % {"code": code}
            },
            code="unknown_code",
        )
    return category


@transaction.atomic
def threat_create(
    *,
    actor: User,
    title: str,
    sector: Sector,
    category: ThreatCategory | str,
    likelihood: int,
    impact: int,
    description: str = "",
    marking: str = Marking.AMBER,
    source_session: DialogueSession | None = None,
    source_concern: Concern | None = None,
    chokepoints: Sequence[ChokepointTechnology] = (),
    named_users: Sequence[User] = (),
) -> Threat:
    _require_sector(actor, sector)
    if not isinstance(category, ThreatCategory):
        category = threat_category_by_code(category)
    threat = Threat(
        title=title,
        description=description,
        sector=sector,
        category=category,
        likelihood=likelihood,
        impact=impact,
        marking=marking,
        source_session=source_session,
        source_concern=source_concern,
        created_by=actor,
    )
    save_validated(threat, actor=actor)
    threat.chokepoints.set(chokepoints)
    threat.named_users.set(named_users)
    return threat


@transaction.atomic
def threat_update(
    *, threat: Threat, actor: User, changes: dict[str, Any], expected_version: int | None = None
) -> Threat:
    _require_sector(actor, threat.sector)
    if "sector" in changes:
        _require_sector(actor, changes["sector"])
    if "category" in changes and not isinstance(changes["category"], ThreatCategory):
        changes = {**changes, "category": threat_category_by_code(changes["category"])}
    return apply_changes(
        threat,
        actor=actor,
        changes=changes,
        allowed=THREAT_UPDATABLE,
        expected_version=expected_version,
    )


@transaction.atomic
def threat_change_status(
    *, threat: Threat, actor: User, status: str, expected_version: int | None = None
) -> Threat:
    _require_sector(actor, threat.sector)
    threat = lock_for_update(threat, expected_version)
    check_transition(THREAT_TRANSITIONS, ThreatStatus, threat.status, status)
    threat.status = status
    save_validated(threat, actor=actor, update_fields=["status"])
    return threat
