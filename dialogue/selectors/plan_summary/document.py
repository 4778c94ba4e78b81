"""The plan-revision summary document: the lookups its sheets share, made once, and the
sheets in order (`sheets/`, one class each)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import cached_property
from typing import Any, cast

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue.disclosure import FEWER_THAN_K, concern_count, count_is_shown
from dialogue.enums import ActionStatus, ChokepointProcessStage, Marking, SectorKind
from dialogue.exports.document import ExportDocument
from dialogue.models import PlanRevision, PlanRevisionItem, Sector, ThreatCategory, User
from dialogue.permissions import is_secretariat
from dialogue.querysets import official_sector_id_list
from dialogue.selectors.dependencies import dependency_chart_labels
from dialogue.selectors.plan_sources import SourceIndex
from dialogue.selectors.plan_summary.changes import ChangeLine, plan_revision_changes
from dialogue.selectors.plan_summary.labels import local_datetime, marking_label
from dialogue.selectors.plan_summary.sheets import SHEETS
from dialogue.selectors.plans import (
    allowed_markings,
    previous_revision,
    readable_items,
    reading_marking,
    with_live_marking,
)

Kind = PlanRevisionItem.Kind
OPEN_ACTION = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS]
CRITICAL_SEVERITY = 15


def may_see_concern_counts(user: User, allowed: list[str] | None) -> set[int] | None:
    """Sectors whose concern counts (AMBER snapshot lines) the reader may see; None for all.

    The AMBER row of the visibility table: the secretariat, and officials of the sector.
    """
    if allowed is not None and Marking.AMBER not in allowed:
        return set()
    if is_secretariat(user):
        return None
    return set(official_sector_id_list(user))


class PlanSummary:
    """What every sheet reads: the lines the reader may read and the lookups they share,
    made once, up front or when first needed."""

    def __init__(self, revision: PlanRevision, user: User, max_marking: str | None):
        self.revision = revision
        self.user = user
        self.max_marking = max_marking
        self.allowed = allowed_markings(max_marking)
        self.items = readable_items(user, revision=revision, max_marking=max_marking)
        self.sectors = list(
            Sector.objects.filter(kind=SectorKind.SECTOR).order_by("sort_order", "code")
        )
        self.sector_names = {s.code: s.name for s in Sector.objects.all()}
        self.sector_order = {
            s.code: n for n, s in enumerate(Sector.objects.order_by("sort_order", "code"))
        }
        categories = list(ThreatCategory.objects.order_by("sort_order", "code"))
        self.code_names = {c.code: c.name for c in categories}
        self.leaf_codes = [c for c in categories if c.parent_id is not None]
        self.concern_sectors = may_see_concern_counts(user, self.allowed)
        self.previous = previous_revision(revision)
        # Set by `document()`: the overview sheet shows them.
        self.generated_at = ""
        self.marking = ""

    @cached_property
    def sources(self) -> SourceIndex:
        return SourceIndex.build(items=self.items, user=self.user, allowed=self.allowed)

    @cached_property
    def changes(self) -> list[ChangeLine]:
        return plan_revision_changes(self.revision, self.user, max_marking=self.max_marking)

    @cached_property
    def counts(self) -> dict[tuple[int, str], dict[str, Any]]:
        """Lines per (sector id, kind): total, critical threats, open actions."""
        rows = (
            self.items.order_by()
            .values("sector_id", "kind")
            .annotate(
                total=Count("pk"),
                critical=Count("pk", filter=Q(data__severity__gte=CRITICAL_SEVERITY)),
                open=Count("pk", filter=Q(data__status__in=OPEN_ACTION)),
            )
        )
        return {(row["sector_id"], row["kind"]): row for row in rows}

    @cached_property
    def aggregates(self) -> dict[tuple[str, str], dict[str, Any]]:
        """The concern-count lines by (sector code, threat code)."""
        return {
            (data.get("sector"), data.get("category")): data
            for data in self.items.filter(kind=Kind.CONCERN_AGGREGATE).values_list(
                "data", flat=True
            )
        }

    def chokepoints_by_stage(self) -> list[tuple[str, int]]:
        """(stage label, lines) in the plan's process order, every stage shown."""
        counts = Counter(
            self.items.filter(kind=Kind.CHOKEPOINT)
            .order_by()
            .values_list("data__process_stage", flat=True)
        )
        return [(str(label), counts[value]) for value, label in ChokepointProcessStage.choices]

    @cached_property
    def referral_aggregates(self) -> dict[tuple[str, str], dict[str, Any]]:
        """The referral-count lines by (sector code, referral status)."""
        return {
            (data.get("sector"), data.get("status")): data
            for data in self.items.filter(kind=Kind.REFERRAL_AGGREGATE).values_list(
                "data", flat=True
            )
        }

    def visible_referral_cell(self, sector: Sector, status: str) -> int | str:
        """Like a concern cell: the sector's officials and the secretariat only, k ≥ 3."""
        if self.concern_sectors is not None and sector.pk not in self.concern_sectors:
            return ""
        data = self.referral_aggregates.get((sector.code, status))
        if data is None:
            return str(FEWER_THAN_K)
        return concern_count(data.get("referrals", 0), data.get("organizations", 0))

    def markings(self) -> set[str]:
        pairs = with_live_marking(self.items.order_by()).values_list("marking", "live_marking")
        present = {reading_marking(then, now) for then, now in pairs.distinct()}
        return present | self.sources.markings()

    def ordered(self, kind: str) -> Iterator[tuple[int, str, dict[str, Any]]]:
        """(object_id, marking, data) per line, the marking as read now (`reading_marking`)."""
        rows = (
            with_live_marking(self.items.filter(kind=kind))
            .order_by("sector__sort_order", "sector__code", "object_id")
            .values_list("object_id", "marking", "live_marking", "data")
            .iterator(chunk_size=2000)
        )
        for object_id, then, now, data in rows:
            # Lines of a live record (threat, chokepoint, action) always have its id.
            yield cast(int, object_id), reading_marking(then, now), data

    def sources_text(self, kind: str, object_id: int | None, data: dict[str, Any]) -> str:
        return "; ".join(s.reference() for s in self.sources.for_item(kind, object_id, data))

    def visible_concern_cell(self, sector: Sector, code: str) -> int | str:
        if self.concern_sectors is not None and sector.pk not in self.concern_sectors:
            return ""  # not the reader's to know
        data = self.aggregates.get((sector.code, code))
        if data is None:
            return str(FEWER_THAN_K)
        return concern_count(data.get("concerns", 0), data.get("organizations", 0))

    def shown_concerns_in_sector(self, sector: Sector) -> int | str:
        if self.concern_sectors is not None and sector.pk not in self.concern_sectors:
            return ""
        shown: int = sum(
            data.get("concerns", 0)
            for (code, _category), data in self.aggregates.items()
            if code == sector.code and count_is_shown(data.get("organizations", 0))
        )
        return shown

    def document(self) -> ExportDocument:
        self.generated_at = local_datetime(timezone.now())
        self.marking = marking_label(Marking.highest(self.markings()))
        return ExportDocument(
            title=_("Action plan %(label)s: summary") % {"label": self.revision.label},
            marking=self.marking,
            sheets=[sheet(self).sheet() for sheet in SHEETS],
            generated_at=self.generated_at,
            extra={
                "revision": self.revision,
                "previous": self.previous,
                "charts": {"dependencies": dependency_chart_labels()},
            },
        )


def plan_revision_summary(
    *, revision: PlanRevision, user: User, max_marking: str | None = None
) -> ExportDocument:
    """The summary of `revision` as `user` may see it, up to `max_marking` (None: no cap)."""
    return PlanSummary(revision, user, max_marking).document()


def plan_revision_item_count(
    *, revision: PlanRevision, user: User, max_marking: str | None = None
) -> int:
    """How many lines the summary would hold: decides between streaming and a background job."""
    return readable_items(user, revision=revision, max_marking=max_marking).count()
