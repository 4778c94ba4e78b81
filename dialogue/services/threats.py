"""Writes on the threat register."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dialogue.enums import Marking, ThreatStatus
from dialogue.models import Concern, DialogueSession, Sector, Threat, ThreatCategory, User
from dialogue.services.common import check_transition, lock_for_update, save_validated
from dialogue.workflows import THREAT_TRANSITIONS


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
    chokepoints=(),
) -> Threat:
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
    if chokepoints:
        threat.chokepoints.set(chokepoints)
    return threat


@transaction.atomic
def threat_change_status(
    *, threat: Threat, actor: User, status: str, expected_version: int | None = None
) -> Threat:
    threat = lock_for_update(threat, expected_version)
    check_transition(THREAT_TRANSITIONS, ThreatStatus, threat.status, status)
    threat.status = status
    save_validated(threat, actor=actor, update_fields=["status"])
    return threat
