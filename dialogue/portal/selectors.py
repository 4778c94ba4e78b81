"""Reads for the portal. Every one starts from `Model.objects.visible_to(user)`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dialogue.enums import ActionStatus, ConcernStatus
from dialogue.models import (
    BestPractice,
    Concern,
    ConcernAttachment,
    ConcernMessage,
    FollowUpAction,
    ForeignMeasure,
    Invitation,
    PortalSubmission,
    Sector,
    ThreatCategory,
    User,
)

OPEN_CONCERN_STATUSES = [
    ConcernStatus.SUBMITTED,
    ConcernStatus.TRIAGED,
    ConcernStatus.IN_PROGRESS,
    ConcernStatus.ANSWERED,
]


# --- concerns ---------------------------------------------------------------------


def concern_list(user: User, *, status: str = "") -> QuerySet[Concern]:
    """My organization's concerns, newest activity first, with the number of visible replies."""
    replies = (
        ConcernMessage.objects.visible_to(user)
        .filter(concern=OuterRef("pk"))
        .exclude(author__organization=OuterRef("organization"))
        .order_by()
        .values("concern")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = (
        Concern.objects.visible_to(user)
        .select_related("sector", "category")
        .annotate(reply_count=Coalesce(Subquery(replies, output_field=IntegerField()), 0))
        .order_by("-updated_at", "-id")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def concern_get(user: User, reference: str) -> Concern:
    """My organization's concern with this reference number if `user` may see it; 404
    otherwise, exactly as for a number that does not exist."""
    return get_object_or_404(
        Concern.objects.visible_to(user).select_related("sector", "category", "submitted_by"),
        organization_id=user.organization_id,
        reference=reference,
    )


@dataclass
class Thread:
    concern: Concern
    messages: list[ConcernMessage]
    files: list[ConcernAttachment] = field(default_factory=list)  # attached to the concern itself

    @property
    def attachment_count(self) -> int:
        return len(self.files) + sum(len(m.portal_attachments) for m in self.messages)


def concern_thread(user: User, concern: Concern) -> Thread:
    """The messages the user may read (never internal notes) with their attachments."""
    messages = list(
        ConcernMessage.objects.visible_to(user)
        .filter(concern=concern)
        .select_related("author")
        .order_by("created_at", "id")
    )
    by_message: dict[int | None, list[ConcernAttachment]] = defaultdict(list)
    attachments = (
        ConcernAttachment.objects.visible_to(user)
        .filter(concern=concern)
        .order_by("created_at", "id")
    )
    for attachment in attachments:
        by_message[attachment.message_id].append(attachment)
    for message in messages:
        message.portal_attachments = by_message.get(message.pk, [])
        message.from_my_organization = message.author.organization_id == concern.organization_id
    return Thread(concern=concern, messages=messages, files=by_message.get(None, []))


def submission_get(user: User, key) -> Concern | None:
    """The concern an earlier submission of the same concern form created, if any."""
    row = (
        PortalSubmission.objects.visible_to(user)
        .filter(key=key, message__isnull=True, concern__isnull=False)
        .select_related("concern")
        .first()
    )
    return row.concern if row else None


def attachment_get(user: User, pk: int) -> ConcernAttachment:
    return get_object_or_404(ConcernAttachment.objects.visible_to(user), pk=pk)


# --- follow-up actions ------------------------------------------------------------------


def action_list(user: User) -> QuerySet[FollowUpAction]:
    """Actions on the company side: owned by the user or by the user's organization."""
    return (
        FollowUpAction.objects.visible_to(user)
        .filter(Q(owner=user) | Q(owner_organization_id=user.organization_id))
        .select_related("sector", "owner")
        .order_by("status", "due_on", "id")
    )


def action_get(user: User, pk: int) -> FollowUpAction:
    return get_object_or_404(action_list(user).select_related("concern"), pk=pk)


def open_actions(user: User) -> QuerySet[FollowUpAction]:
    return action_list(user).filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])


# --- alerts and guidance --------------------------------------------------------------------


def organization_sectors(user: User) -> QuerySet[Sector]:
    return Sector.objects.visible_to(user).filter(organizations=user.organization_id)


def foreign_measures_for(user: User) -> QuerySet[ForeignMeasure]:
    """Foreign measures affecting the organization's sectors (or their domains), and those
    affecting all sectors."""
    return (
        ForeignMeasure.objects.visible_to(user)
        .affecting(organization_sectors(user))
        .prefetch_related("sectors", "threat_categories")
        .latest_first()
    )


def my_threat_codes(user: User) -> QuerySet[ThreatCategory]:
    return ThreatCategory.objects.visible_to(user).filter(
        pk__in=Concern.objects.visible_to(user).values("category")
    )


def best_practices_for(user: User) -> QuerySet[BestPractice]:
    """Best practices linked to the threat codes of my organization's concerns
    (a family code such as "2" brings the practices of its codes 2-1 … 2-4)."""
    codes = Concern.objects.visible_to(user).values("category")
    through = BestPractice.threat_categories.through
    linked = through.objects.filter(bestpractice=OuterRef("pk")).filter(
        Q(threatcategory__in=codes) | Q(threatcategory__parent__in=codes)
    )
    return (
        BestPractice.objects.visible_to(user)
        .filter(Exists(linked))
        .prefetch_related("threat_categories")
        .order_by("number")
    )


# --- colleagues ------------------------------------------------------------------------


def colleagues(user: User) -> QuerySet[User]:
    return User.objects.visible_to(user).order_by("-is_active", "last_name", "first_name", "pk")


def colleague_get(user: User, pk: int) -> User:
    return get_object_or_404(colleagues(user), pk=pk)


def pending_invitations(user: User) -> QuerySet[Invitation]:
    return (
        Invitation.objects.visible_to(user)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_get(user: User, pk: int) -> Invitation:
    return get_object_or_404(pending_invitations(user), pk=pk)
