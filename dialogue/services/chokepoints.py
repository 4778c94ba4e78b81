"""Writes on the chokepoint register."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dialogue.enums import ChokepointProcessStage, Marking
from dialogue.models import ChokepointTechnology, Organization, Sector, User
from dialogue.permissions import can_manage_sector
from dialogue.services.common import PermissionDeniedError, apply_changes, save_validated

CHOKEPOINT_UPDATABLE = {
    "name",
    "description",
    "sector",
    "stage",
    "holders",
    "world_share_pct",
    "outflow_concern",
    "like_minded_holders",
    "process_stage",
    "survey",
    "support_measures",
    "review_on",
    "marking",
    "holder_organizations",
    "named_users",
}


def _require_sector(actor: User, sector: Sector) -> None:
    if not can_manage_sector(actor, sector):
        raise PermissionDeniedError(_("You can change the register only for your own sectors."))


@transaction.atomic
def chokepoint_create(
    *,
    actor: User,
    name: str,
    sector: Sector,
    stage: str,
    description: str = "",
    holders: str = "",
    world_share_pct: Decimal | None = None,
    outflow_concern: str = "medium",
    like_minded_holders: str = "",
    process_stage: str = ChokepointProcessStage.EXTRACTION,
    survey: str = "",
    support_measures: str = "",
    review_on: datetime.date | None = None,
    marking: str = Marking.AMBER,
    holder_organizations: Sequence[Organization] = (),
    named_users: Sequence[User] = (),
) -> ChokepointTechnology:
    _require_sector(actor, sector)
    chokepoint = ChokepointTechnology(
        name=name,
        sector=sector,
        stage=stage,
        description=description,
        holders=holders,
        world_share_pct=world_share_pct,
        outflow_concern=outflow_concern,
        like_minded_holders=like_minded_holders,
        process_stage=process_stage,
        survey=survey,
        support_measures=support_measures,
        review_on=review_on,
        marking=marking,
        created_by=actor,
    )
    save_validated(chokepoint, actor=actor)
    chokepoint.holder_organizations.set(holder_organizations)
    chokepoint.named_users.set(named_users)
    return chokepoint


@transaction.atomic
def chokepoint_update(
    *,
    chokepoint: ChokepointTechnology,
    actor: User,
    changes: dict[str, Any],
    expected_version: int | None = None,
) -> ChokepointTechnology:
    _require_sector(actor, chokepoint.sector)
    if "sector" in changes:
        _require_sector(actor, changes["sector"])
    return apply_changes(
        chokepoint,
        actor=actor,
        changes=changes,
        allowed=CHOKEPOINT_UPDATABLE,
        expected_version=expected_version,
    )
