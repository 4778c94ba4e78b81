"""Writes on follow-up actions: create, update, change the status of one or of many."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from dialogue.enums import ActionStatus, Marking, PolicyPillar, Priority, Role
from dialogue.models import (
    Concern,
    DialogueSession,
    FollowUpAction,
    Organization,
    Sector,
    Threat,
    User,
)
from dialogue.permissions import can_manage_sector, can_update_action_status
from dialogue.services.common import (
    PermissionDeniedError,
    StaleVersionError,
    apply_changes,
    check_transition,
    lock_for_update,
    save_validated,
)
from dialogue.workflows import ACTION_TRANSITIONS

ACTION_UPDATABLE = {
    "title",
    "description",
    "sector",
    "owner",
    "due_on",
    "priority",
    "pillar",
    "marking",
    "session",
    "threat",
    "concern",
    "named_users",
}


def _require_sector(actor: User, sector: Sector) -> None:
    if not can_manage_sector(actor, sector):
        raise PermissionDeniedError(_("You can manage actions only for your own sectors."))


def _require_red_owner_named(
    *, marking: str, owner: User, named_user_ids: Iterable[int], field: str
) -> None:
    """RED is for its named people only: an owner who is not named could not see the action
    they must carry out, nor be reminded of it."""
    if marking == Marking.RED and owner.pk not in set(named_user_ids):
        raise ValidationError(
            {
                field: _(
                    "A TLP:RED action can be seen only by the people named on it, so its owner "
                    "must be one of them: name the owner, or choose another owner or marking."
                )
            },
            code="red_owner_not_named",
        )


def _owner_organization(owner: User) -> Organization | None:
    return owner.organization if owner.role == Role.COMPANY else None


def parse_due_date(value: datetime.date | str) -> datetime.date:
    """Accept a date or an ISO string (2026-12-01); anything else is a clear field error."""
    if isinstance(value, datetime.date):
        return value
    try:
        parsed = parse_date(str(value).strip())
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError(
            {"due_on": _("Enter the due date as YYYY-MM-DD, e.g. 2026-12-01.")}, code="invalid_date"
        )
    return parsed


@transaction.atomic
def action_create(
    *,
    actor: User,
    title: str,
    sector: Sector,
    owner: User,
    due_on: datetime.date | str,
    pillar: str = PolicyPillar.PROTECTION,
    priority: str = Priority.MEDIUM,
    description: str = "",
    marking: str = Marking.AMBER,
    session: DialogueSession | None = None,
    threat: Threat | None = None,
    concern: Concern | None = None,
    named_users: Sequence[User | int] = (),  # users or their ids
) -> FollowUpAction:
    _require_sector(actor, sector)
    _require_red_owner_named(
        marking=marking,
        owner=owner,
        named_user_ids=[user.pk if isinstance(user, User) else user for user in named_users],
        field="owner",
    )
    action = FollowUpAction(
        title=title,
        description=description,
        sector=sector,
        owner=owner,
        owner_organization=_owner_organization(owner),
        due_on=parse_due_date(due_on),
        pillar=pillar,
        priority=priority,
        marking=marking,
        session=session,
        threat=threat,
        concern=concern,
        created_by=actor,
    )
    save_validated(action, actor=actor)
    action.named_users.set(named_users)
    return action


@transaction.atomic
def action_update(
    *,
    action: FollowUpAction,
    actor: User,
    changes: dict[str, Any],
    expected_version: int | None = None,
) -> FollowUpAction:
    _require_sector(actor, action.sector)
    if "sector" in changes:
        _require_sector(actor, changes["sector"])
    if "due_on" in changes:
        changes = {**changes, "due_on": parse_due_date(changes["due_on"])}
    if "owner" in changes:
        changes = {**changes, "owner_organization": _owner_organization(changes["owner"])}
    action = apply_changes(
        action,
        actor=actor,
        changes=changes,
        allowed=ACTION_UPDATABLE | {"owner_organization"},
        expected_version=expected_version,
    )
    # Checked on the saved result (the transaction rolls back on refusal), and only when the
    # change touches who may see it: an older RED action with an unnamed owner can still be
    # edited otherwise, and stays visible to its named people only.
    touched = [name for name in ("owner", "marking", "named_users") if name in changes]
    if touched:
        _require_red_owner_named(
            marking=action.marking,
            owner=action.owner,
            named_user_ids=action.named_users.values_list("pk", flat=True),
            field=touched[0],
        )
    return action


@transaction.atomic
def action_change_status(
    *,
    action: FollowUpAction,
    actor: User,
    status: str,
    completion_note: str = "",
    expected_version: int | None = None,
) -> FollowUpAction:
    """Move an action along its workflow; closing it as done needs a completion note.

    The owner (official or company user) and the sector's officials may do this.
    """
    if not can_update_action_status(actor, action):
        raise PermissionDeniedError(_("Only the owner or the sector's officials can change this."))
    action = lock_for_update(action, expected_version)
    check_transition(ACTION_TRANSITIONS, ActionStatus, action.status, status)
    fields = ["status"]
    if status == ActionStatus.DONE:
        if not completion_note.strip():
            raise ValidationError(
                {"completion_note": _("Describe what was done before closing the action.")},
                code="required",
            )
        action.completion_note = completion_note.strip()
        action.completed_at = timezone.now()
        fields += ["completion_note", "completed_at"]
    elif action.completed_at is not None:
        action.completed_at = None
        fields.append("completed_at")
    action.status = status
    save_validated(action, actor=actor, update_fields=fields)
    return action


@dataclass(frozen=True)
class BulkRefusal:
    """An action that could not move, and why (a phrase the page shows after its title)."""

    action: FollowUpAction
    reason: str


@dataclass(frozen=True)
class BulkResult:
    changed: list[FollowUpAction] = field(default_factory=list)
    refusals: list[BulkRefusal] = field(default_factory=list)


def _bulk_reason(action: FollowUpAction, status: str, error: Exception) -> str:
    """The per-action service's refusal, said of one action among many."""
    if isinstance(error, PermissionDeniedError):
        return _("only the owner or the sector's officials can change it")
    fields = getattr(error, "error_dict", {})
    if "status" in fields and status in ActionStatus.values:
        if status == action.status:
            return _("it already has this status")
        return _("it cannot move from “%(current)s” to “%(new)s”") % {
            "current": action.get_status_display(),
            "new": ActionStatus(status).label,
        }
    return " ".join(getattr(error, "messages", [str(error)]))


@transaction.atomic
def action_bulk_status_change(
    *, user: User, action_ids: Sequence[int], status: str, completion_note: str = ""
) -> BulkResult:
    """Move every given action to `status`, all or nothing.

    Each action goes through `action_change_status` (its permission, transition and
    completion-note checks); every refusal is collected, and if there is any, no action
    is changed and the result lists them. Ids the user cannot see are left out, as if
    never given.
    """
    actions = list(
        FollowUpAction.objects.visible_to(user)
        .select_related("sector")
        .filter(pk__in=list(action_ids))
        .order_by("pk")
    )
    changed: list[FollowUpAction] = []
    refusals: list[BulkRefusal] = []
    for action in actions:
        try:
            # A savepoint each (the service is atomic): one refusal leaves the others usable.
            changed.append(
                action_change_status(
                    action=action, actor=user, status=status, completion_note=completion_note
                )
            )
        except (ValidationError, PermissionDeniedError, StaleVersionError) as error:
            refusals.append(BulkRefusal(action, _bulk_reason(action, status, error)))
    if refusals:
        transaction.set_rollback(True)
        return BulkResult(refusals=refusals)
    return BulkResult(changed=changed)
