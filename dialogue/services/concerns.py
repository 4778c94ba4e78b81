"""Writes on concerns: companies submit, reply and withdraw; officials triage and answer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue.enums import ConcernStatus, DesiredSupport, Marking, Role
from dialogue.models import (
    Concern,
    ConcernAttachment,
    ConcernMessage,
    Organization,
    Sector,
    Threat,
    ThreatCategory,
    User,
)
from dialogue.permissions import can_handle_concern, can_manage_sector, is_concern_member
from dialogue.services.attachments import attachments_add
from dialogue.services.common import (
    PermissionDeniedError,
    apply_changes,
    check_transition,
    lock_for_update,
    save_validated,
)
from dialogue.services.notifications import (
    notify_concern_reply,
    notify_concern_status,
    notify_concern_submitted,
)
from dialogue.services.threats import threat_category_by_code
from dialogue.workflows import CONCERN_TRANSITIONS

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile


def _require_handler(actor: User, concern: Concern) -> None:
    if not can_handle_concern(actor, concern):
        raise PermissionDeniedError(_("Only the sector's officials can handle this concern."))


# How the conversation moves a concern: event → (the statuses it moves from, where to).
_CONVERSATION = {
    "assigned": ({ConcernStatus.SUBMITTED}, ConcernStatus.TRIAGED),
    "answered": (
        {ConcernStatus.SUBMITTED, ConcernStatus.TRIAGED, ConcernStatus.IN_PROGRESS},
        ConcernStatus.ANSWERED,
    ),
    "company_replied": ({ConcernStatus.ANSWERED}, ConcernStatus.IN_PROGRESS),
}


def _follow_conversation(concern: Concern, actor: User, event: str) -> bool:
    """Move the concern as the conversation moved (an assignment, a reply); True if it did.

    Read under the row lock, so two replies at once move it once. Each step is one the
    transition table allows and lands in the history; a submitted concern answered at
    once passes through 振り分け済み. `concern` is updated in place.
    """
    sources, target = _CONVERSATION[event]
    locked = lock_for_update(concern, None)
    if locked.status not in sources:
        return False
    steps = [target]
    if target not in CONCERN_TRANSITIONS[ConcernStatus(locked.status)]:
        steps = [ConcernStatus.TRIAGED, target]
    for step in steps:
        locked.status = step
        save_validated(locked, actor=actor, update_fields=["status"])
    concern.status, concern.version = locked.status, locked.version
    return True


def concern_reference_next(*, organization_id: int, on: date | None = None) -> str:
    """The organization's next reference number for a concern submitted on `on` (today).

    "2026-0003": the year, then a counter within the organization and that year. The
    organization's row is locked until the caller's transaction ends, so two
    submissions of the same organization take their numbers one after the other; the
    unique (organization, reference) constraint refuses a duplicate if a path ever
    skipped the lock. Other organizations' concerns play no part: a company's numbers
    tell nothing about anyone else's.
    """
    year = (on or timezone.localdate()).year
    Organization.objects.select_for_update().filter(pk=organization_id).values("pk").get()
    prefix = f"{year}-"
    last = (
        Concern.objects.filter(organization_id=organization_id, reference__startswith=prefix)
        .aggregate(n=Max(Cast(Substr("reference", len(prefix) + 1), IntegerField())))
        .get("n")
    )
    return f"{prefix}{(last or 0) + 1:04d}"


@transaction.atomic
def concern_submit(
    *,
    user: User,
    sector: Sector,
    category: ThreatCategory | str,
    title: str,
    description: str,
    desired_support: str = DesiredSupport.INFORMATION,
    marking: str = Marking.AMBER_STRICT,
    uploads: Iterable[UploadedFile] = (),
) -> Concern:
    """A company user raises a concern for their own organization."""
    if user.role != Role.COMPANY or user.organization_id is None:
        raise PermissionDeniedError(_("Only company users can submit concerns."))
    if not isinstance(category, ThreatCategory):
        category = threat_category_by_code(category)
    concern = Concern(
        organization_id=user.organization_id,
        submitted_by=user,
        sector=sector,
        category=category,
        title=title,
        description=description,
        desired_support=desired_support,
        marking=marking,
        reference=concern_reference_next(organization_id=user.organization_id),
    )
    save_validated(concern, actor=user)
    if marking == Marking.RED:
        concern.named_users.add(user)  # RED is for named people: the submitter at least
    notify_concern_submitted(concern)
    attachments_add(concern=concern, actor=user, uploads=uploads)
    return concern


@transaction.atomic
def concern_message_post(
    *,
    concern: Concern,
    author: User,
    body: str,
    is_internal: bool = False,
    uploads: Iterable[UploadedFile] = (),
) -> ConcernMessage:
    """A reply on the thread. Internal notes are for officials only."""
    if is_concern_member(author, concern):
        if is_internal:
            raise PermissionDeniedError(_("Company users cannot add internal notes."))
        if concern.status in (ConcernStatus.CLOSED, ConcernStatus.WITHDRAWN):
            raise ValidationError(
                {"body": _("This concern is closed; it no longer takes replies.")}, code="closed"
            )
    else:
        _require_handler(author, concern)
    message = ConcernMessage(concern=concern, author=author, body=body, is_internal=is_internal)
    save_validated(message, actor=author)
    attachments_add(concern=concern, actor=author, uploads=uploads, message=message)
    # The status follows the conversation: an answer to the company makes it 回答済み, the
    # company writing back after an answer makes it 対応中 again. Internal notes change
    # nothing the company sees.
    if is_concern_member(author, concern):
        _follow_conversation(concern, author, "company_replied")
    elif not is_internal:
        # The first answer meets (or misses) the first-response target; a later one changes
        # nothing. A plain UPDATE: a timestamp, not a change anyone makes.
        Concern.objects.filter(pk=concern.pk, first_answered_at__isnull=True).update(
            first_answered_at=message.created_at
        )
        concern.first_answered_at = concern.first_answered_at or message.created_at
        _follow_conversation(concern, author, "answered")
        notify_concern_reply(message)
    return message


@transaction.atomic
def concern_attach(
    *, concern: Concern, actor: User, uploads: Iterable[UploadedFile]
) -> list[ConcernAttachment]:
    """Add files to a concern: its organization's users and its sector's officials."""
    if not is_concern_member(actor, concern):
        _require_handler(actor, concern)
    return attachments_add(concern=concern, actor=actor, uploads=uploads)


@transaction.atomic
def concern_change_status(
    *, concern: Concern, actor: User, status: str, expected_version: int | None = None
) -> Concern:
    """Officials move a concern along; the submitting organization may only withdraw it."""
    if is_concern_member(actor, concern):
        if status != ConcernStatus.WITHDRAWN:
            raise PermissionDeniedError(_("You can only withdraw your organization's concern."))
    else:
        _require_handler(actor, concern)
    concern = lock_for_update(concern, expected_version)
    check_transition(CONCERN_TRANSITIONS, ConcernStatus, concern.status, status)
    concern.status = status
    save_validated(concern, actor=actor, update_fields=["status"])
    if not is_concern_member(actor, concern):
        notify_concern_status(concern)
    return concern


@transaction.atomic
def concern_update(
    *, concern: Concern, actor: User, changes: dict[str, Any], expected_version: int | None = None
) -> Concern:
    """Officials assign the concern and adjust its marking."""
    _require_handler(actor, concern)
    assignee = changes.get("assigned_to")
    if assignee is not None and not can_manage_sector(assignee, concern.sector):
        raise ValidationError(
            {"assigned_to": _("Assign the concern to an official of its sector.")}, code="invalid"
        )
    concern = apply_changes(
        concern,
        actor=actor,
        changes=changes,
        allowed={"assigned_to", "marking", "named_users"},
        expected_version=expected_version,
    )
    # Assigning a submitted concern is triage: the company sees it was taken up.
    if assignee is not None and _follow_conversation(concern, actor, "assigned"):
        notify_concern_status(concern)
    return concern


@transaction.atomic
def concern_link_threat(*, concern: Concern, threat: Threat, actor: User) -> Threat:
    """Record that the concern is a source of the threat."""
    from dialogue.services.threats import threat_update

    _require_handler(actor, concern)
    return threat_update(threat=threat, actor=actor, changes={"source_concern": concern})
