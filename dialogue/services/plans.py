"""Writes on plan revisions."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from dialogue.enums import PlanRevisionStatus
from dialogue.models import PlanRevision, User
from dialogue.services.common import check_transition, save_validated
from dialogue.workflows import PLAN_REVISION_TRANSITIONS


@transaction.atomic
def plan_revision_publish(*, revision: PlanRevision, actor: User) -> PlanRevision:
    """draft → published; a published revision never changes afterwards."""
    revision = PlanRevision.objects.select_for_update().get(pk=revision.pk)
    check_transition(
        PLAN_REVISION_TRANSITIONS, PlanRevisionStatus, revision.status, PlanRevisionStatus.PUBLISHED
    )
    revision.status = PlanRevisionStatus.PUBLISHED
    revision.published_at = timezone.now()
    save_validated(revision, actor=actor, update_fields=["status", "published_at"])
    return revision
