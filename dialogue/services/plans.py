"""Plan revisions: a living action plan whose published editions never change."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue.enums import Marking, PlanRevisionStatus
from dialogue.models import (
    ChokepointTechnology,
    Concern,
    Dependency,
    FollowUpAction,
    PlanRevision,
    PlanRevisionItem,
    Referral,
    Threat,
    User,
)
from dialogue.permissions import can_manage_plan
from dialogue.services.common import (
    PermissionDeniedError,
    attribute_history,
    check_transition,
    save_validated,
)
from dialogue.workflows import PLAN_REVISION_TRANSITIONS

Kind = PlanRevisionItem.Kind


def edition_label(number: int) -> str:
    return "初版" if number == 1 else f"第{number}版"


def _require_plan_team(actor: User) -> None:
    if not can_manage_plan(actor):
        raise PermissionDeniedError(
            _("Only the plan team (secretariat) can change plan revisions.")
        )


def _snapshot_rows(revision: PlanRevision) -> list[PlanRevisionItem]:
    """Everything in scope now, frozen as plain data. RED items stay out of the plan."""
    rows: list[PlanRevisionItem] = []
    threats = (
        Threat.objects.exclude(marking=Marking.RED)
        .select_related("sector", "category")
        .prefetch_related("chokepoints")
        .order_by("pk")
    )
    for t in threats:
        rows.append(
            PlanRevisionItem(
                revision=revision,
                kind=Kind.THREAT,
                object_id=t.pk,
                sector=t.sector,
                marking=t.marking,
                data={
                    "title": t.title,
                    "sector": t.sector.code,
                    "category": t.category.code,
                    "likelihood": t.likelihood,
                    "impact": t.impact,
                    "severity": t.likelihood * t.impact,
                    "status": t.status,
                    "source_session": t.source_session_id,
                    "source_concern": t.source_concern_id,
                    "chokepoints": sorted(c.pk for c in t.chokepoints.all()),
                },
            )
        )
    for c in (
        ChokepointTechnology.objects.exclude(marking=Marking.RED)
        .select_related("sector")
        .order_by("pk")
    ):
        rows.append(
            PlanRevisionItem(
                revision=revision,
                kind=Kind.CHOKEPOINT,
                object_id=c.pk,
                sector=c.sector,
                marking=c.marking,
                data={
                    "name": c.name,
                    "sector": c.sector.code,
                    "stage": c.stage,
                    "world_share_pct": str(c.world_share_pct)
                    if c.world_share_pct is not None
                    else None,
                    "outflow_concern": c.outflow_concern,
                    "like_minded_holders": c.like_minded_holders,
                    "process_stage": c.process_stage,
                    "survey": c.survey,
                    "support_measures": c.support_measures,
                    "review_on": c.review_on.isoformat() if c.review_on else None,
                },
            )
        )
    for a in (
        FollowUpAction.objects.exclude(marking=Marking.RED).select_related("sector").order_by("pk")
    ):
        rows.append(
            PlanRevisionItem(
                revision=revision,
                kind=Kind.ACTION,
                object_id=a.pk,
                sector=a.sector,
                marking=a.marking,
                data={
                    "title": a.title,
                    "sector": a.sector.code,
                    "due_on": a.due_on.isoformat(),
                    "status": a.status,
                    "priority": a.priority,
                    "pillar": a.pillar,
                    "source_session": a.session_id,
                    "source_threat": a.threat_id,
                    "source_concern": a.concern_id,
                },
            )
        )
    for d in (
        Dependency.objects.exclude(marking=Marking.RED)
        .select_related("sector")
        .prefetch_related("threats", "chokepoints")
        .order_by("pk")
    ):
        rows.append(
            PlanRevisionItem(
                revision=revision,
                kind=Kind.DEPENDENCY,
                object_id=d.pk,
                sector=d.sector,
                marking=d.marking,
                # Linked concerns are not copied: a plan line never says that a company
                # raised something; the map counts them for officials (k ≥ 3).
                data={
                    "product": d.product,
                    "sector": d.sector.code,
                    "hs_code": d.hs_code,
                    "stage": d.stage,
                    "country": d.country,
                    "share_pct": str(d.share_pct),
                    "basis": d.basis,
                    "year": d.year,
                    "precision": d.precision,
                    "source": d.source,
                    "threats": sorted(t.pk for t in d.threats.all()),
                    "chokepoints": sorted(c.pk for c in d.chokepoints.all()),
                },
            )
        )
    # Concern counts are read by the plan's audience (the secretariat and each sector's
    # officials: AMBER lines), who may see every concern of the sector except RED ones,
    # known only to the people named on them: those never enter a count.
    aggregates = (
        Concern.objects.exclude(marking=Marking.RED)
        .values("sector", "sector__code", "category__code")
        .annotate(concerns=Count("pk"), organizations=Count("organization", distinct=True))
        .order_by("sector__code", "category__code")
    )
    for row in aggregates:
        rows.append(
            PlanRevisionItem(
                revision=revision,
                kind=Kind.CONCERN_AGGREGATE,
                object_id=None,
                sector_id=row["sector"],
                # Counts by sector and code reveal no company, but only at k ≥ 3: every reader
                # gets them through dialogue.disclosure.concern_count(_or_none).
                marking=Marking.AMBER,
                data={
                    "sector": row["sector__code"],
                    "category": row["category__code"],
                    "concerns": row["concerns"],
                    "organizations": row["organizations"],
                },
            )
        )
    rows.extend(_referral_aggregate_rows(revision))
    return rows


def _referral_aggregate_rows(revision: PlanRevision) -> list[PlanRevisionItem]:
    """Referral counts by sector and status, with the organizations behind them: shown,
    like concern counts, only where at least K_ANONYMITY organizations stand behind them.
    Referrals of RED concerns never enter a count."""
    aggregates = (
        Referral.objects.exclude(concern__marking=Marking.RED)
        .values("concern__sector", "concern__sector__code", "status")
        .annotate(
            referrals=Count("pk"), organizations=Count("concern__organization", distinct=True)
        )
        .order_by("concern__sector__code", "status")
    )
    return [
        PlanRevisionItem(
            revision=revision,
            kind=Kind.REFERRAL_AGGREGATE,
            object_id=None,
            sector_id=row["concern__sector"],
            marking=Marking.AMBER,
            data={
                "sector": row["concern__sector__code"],
                "status": row["status"],
                "referrals": row["referrals"],
                "organizations": row["organizations"],
            },
        )
        for row in aggregates
    ]


@transaction.atomic
def plan_revision_start(*, actor: User, notes: str = "") -> PlanRevision:
    """Start the next edition as a draft holding a snapshot of the current state."""
    _require_plan_team(actor)
    if PlanRevision.objects.filter(status=PlanRevisionStatus.DRAFT).exists():
        raise ValidationError(
            _("Publish or delete the current draft revision first."), code="draft_exists"
        )
    number = (PlanRevision.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = PlanRevision(
        number=number, label=edition_label(number), notes=notes, created_by=actor
    )
    save_validated(revision, actor=actor)
    PlanRevisionItem.objects.bulk_create(_snapshot_rows(revision), batch_size=2000)
    return revision


@transaction.atomic
def plan_revision_refresh(*, revision: PlanRevision, actor: User) -> PlanRevision:
    """Re-take a draft's snapshot; a published revision never changes."""
    _require_plan_team(actor)
    revision = PlanRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != PlanRevisionStatus.DRAFT:
        raise ValidationError(_("A published revision never changes."), code="published")
    revision.items.all().delete()
    PlanRevisionItem.objects.bulk_create(_snapshot_rows(revision), batch_size=2000)
    return revision


@transaction.atomic
def plan_revision_publish(*, revision: PlanRevision, actor: User) -> PlanRevision:
    """draft → published; a published revision never changes afterwards."""
    _require_plan_team(actor)
    revision = PlanRevision.objects.select_for_update().get(pk=revision.pk)
    check_transition(
        PLAN_REVISION_TRANSITIONS, PlanRevisionStatus, revision.status, PlanRevisionStatus.PUBLISHED
    )
    revision.status = PlanRevisionStatus.PUBLISHED
    revision.published_at = timezone.now()
    save_validated(revision, actor=actor, update_fields=["status", "published_at"])
    return revision


@transaction.atomic
def plan_revision_delete(*, revision: PlanRevision, actor: User) -> None:
    """Only a draft can be deleted."""
    _require_plan_team(actor)
    revision = PlanRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != PlanRevisionStatus.DRAFT:
        raise PermissionDeniedError(_("A published revision cannot be deleted."))
    attribute_history(revision, actor)
    revision.delete()
