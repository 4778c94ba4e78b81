"""Who may change what. Reading is decided by `visible_to(user)` in querysets.py;
these checks only apply to records the user can already see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dialogue.enums import Role
from dialogue.querysets import official_sector_ids

if TYPE_CHECKING:
    from dialogue.models import Concern, FollowUpAction, Sector, User


def is_secretariat(user: User) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user.role in (Role.SECRETARIAT, Role.ADMIN)
    )


def is_official(user: User) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or user.is_official)


def can_manage_sector(user: User, sector: Sector) -> bool:
    """Secretariat for every sector; a sector official for their sectors and their domains' sectors."""
    if not is_official(user):
        return False
    if is_secretariat(user):
        return True
    return official_sector_ids(user).filter(pk=sector.pk).exists()


def can_manage_sectors(user: User, sectors) -> bool:
    return bool(sectors) and all(can_manage_sector(user, sector) for sector in sectors)


def can_handle_concern(user: User, concern: Concern) -> bool:
    """Triage, assign, answer: the concern's sector officials and the secretariat."""
    return can_manage_sector(user, concern.sector)


def is_concern_member(user: User, concern: Concern) -> bool:
    """A user of the organization that submitted the concern."""
    return user.role == Role.COMPANY and user.organization_id == concern.organization_id


def can_update_action_status(user: User, action: FollowUpAction) -> bool:
    return action.owner_id == user.pk or can_manage_sector(user, action.sector)


def can_manage_plan(user: User) -> bool:
    """The plan team works in the secretariat."""
    return is_secretariat(user)
