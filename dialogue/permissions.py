"""Who may do what. Reading is decided by `visible_to(user)` in querysets.py; these
checks decide who may enter each front door and who may change the records they see.

Every authorization predicate lives here (or, for reading, in querysets.py): views,
the API, the admin and services ask these functions, never the role themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dialogue.enums import Role
from dialogue.querysets import official_sector_id_list

if TYPE_CHECKING:
    from dialogue.models import Concern, FollowUpAction, Forum, Organization, Sector, User


# -- who someone is ------------------------------------------------------------
def is_secretariat(user: User) -> bool:
    """The secretariat, administrators and superusers, while their account is active.

    Defined once, on the model (`User.is_secretariat`), so that querysets.py, which this
    module builds on, can read the same rule."""
    return bool(user.is_authenticated and user.is_secretariat)


def is_official(user: User) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or user.is_official)


def is_company_member(user: User) -> bool:
    """An active company user of an organization (superusers never act as a company)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.COMPANY
        and user.organization_id is not None
        and not user.is_superuser
    )


# -- front doors -----------------------------------------------------------------
def may_use_workspace(user: User) -> bool:
    """Officials, the secretariat, administrators and superusers; never company users."""
    return is_official(user)


def may_use_portal(user: User) -> bool:
    """Active company users of an organization; never officials."""
    return is_company_member(user)


# -- changing records ------------------------------------------------------------
def can_manage_sector(user: User, sector: Sector) -> bool:
    """Secretariat for every sector; a sector official for their sectors and their domains' sectors."""
    if not is_official(user):
        return False
    if is_secretariat(user):
        return True
    return sector.pk in official_sector_id_list(user)


def can_manage_sectors(user: User, sectors) -> bool:
    return bool(sectors) and all(can_manage_sector(user, sector) for sector in sectors)


def is_forum_official(user: User, forum: Forum) -> bool:
    """An official named responsible for this international forum."""
    return is_official(user) and forum.officials.filter(pk=user.pk).exists()


def can_manage_forum(user: User, forum: Forum) -> bool:
    """Record and change the forum's sessions: the secretariat and the forum's officials."""
    return is_secretariat(user) or is_forum_official(user, forum)


def can_record_session(user: User, sectors, forum: Forum | None) -> bool:
    """A session under a forum: the forum's officials (and the secretariat); otherwise, or
    as well, the officials of every sector it names."""
    if not is_official(user):
        return False
    if forum is not None and can_manage_forum(user, forum):
        return True
    return can_manage_sectors(user, sectors)


def can_submit_concern(user: User) -> bool:
    """Concerns are raised by company users, for their own organization."""
    return is_company_member(user)


def can_handle_concern(user: User, concern: Concern) -> bool:
    """Triage, assign, answer: the concern's sector officials and the secretariat."""
    return can_manage_sector(user, concern.sector)


def is_concern_member(user: User, concern: Concern) -> bool:
    """A user of the organization that submitted the concern."""
    return user.role == Role.COMPANY and user.organization_id == concern.organization_id


def can_refer_concern(user: User, concern: Concern) -> bool:
    """Propose referrals and record their progress: the concern's sector officials."""
    return can_handle_concern(user, concern)


def can_consent_to_referral(user: User, concern: Concern) -> bool:
    """Consent (or decline) is given by an active user of the concern's own organization,
    for that organization only: nobody consents on another organization's behalf."""
    return is_company_member(user) and is_concern_member(user, concern)


def can_manage_support_catalogue(user: User) -> bool:
    """The secretariat keeps the catalogue of support organizations and schemes."""
    return is_secretariat(user)


def can_update_action_status(user: User, action: FollowUpAction) -> bool:
    return action.owner_id == user.pk or can_manage_sector(user, action.sector)


def can_manage_plan(user: User) -> bool:
    """The plan team works in the secretariat."""
    return is_secretariat(user)


# -- people ------------------------------------------------------------------------
def can_invite(inviter: User, organization: Organization) -> bool:
    """Officials invite people to any organization; an organization's portal admin to theirs."""
    if is_official(inviter):
        return True
    return (
        inviter.is_authenticated
        and inviter.is_active
        and inviter.role == Role.COMPANY
        and inviter.is_org_admin
        and inviter.organization_id == organization.pk
    )


def can_deactivate(actor: User, person: User) -> bool:
    """Officials deactivate company users (the secretariat anyone); an organization's portal
    admin deactivates colleagues of the same organization. Nobody deactivates themselves."""
    if not (actor.is_authenticated and actor.is_active) or actor.pk == person.pk:
        return False
    if is_secretariat(actor):
        return True
    if is_official(actor):
        return person.role == Role.COMPANY
    return (
        actor.role == Role.COMPANY
        and actor.is_org_admin
        and person.role == Role.COMPANY
        and actor.organization_id is not None
        and person.organization_id == actor.organization_id
    )
