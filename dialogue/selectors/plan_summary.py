"""The plan-revision summary: one selector whose document every format is written from.

`plan_revision_summary(revision=…, user=…, max_marking=…)` returns an
`ExportDocument` with these sheets, each a header and rows produced on demand
(a query per sheet, streamed, whatever the number of lines):

summary · sectors · heatmap (threats by sector × code, with concern counts) ·
threats · chokepoints · actions · changes (since the previous revision) · sources

Protection (DOMAIN.md, "Who may see what"):
- lines are the revision's snapshot rows the reader may read
  (`selectors.plans.readable_items`: the line's marking then and its record's
  visibility now), capped at `max_marking`;
- sources are cited only as plan_sources.py allows (no company names, no session
  titles); the changes name other records only as `plan_revision_diff` shows them
  (HIDDEN for a record the reader may not see now, never an id);
- concern counts by sector and code appear only where at least K_ANONYMITY
  distinct organizations stand behind them, otherwise "fewer than 3" (which also
  stands for none, so a cell never tells that a concern exists); per-sector totals
  add up only the cells shown, so no small cell can be worked out by subtraction;
- the document's marking is the highest marking of every line and source in it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.db.models import Count, IntegerField, Max, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogue.disclosure import (
    FEWER_THAN_K,
    HIDDEN,
    concern_count,
    count_is_shown,
    count_label,
)
from dialogue.enums import (
    ActionStatus,
    ConcernLevel,
    Marking,
    PlanRevisionStatus,
    PolicyPillar,
    Priority,
    SectorKind,
    SupplyChainStage,
    ThreatStatus,
)
from dialogue.exports.document import ExportDocument, Sheet
from dialogue.models import PlanRevision, PlanRevisionItem, Sector, ThreatCategory, User
from dialogue.models.threats import severity_level
from dialogue.permissions import is_secretariat
from dialogue.querysets import official_sector_ids
from dialogue.selectors.plan_sources import SourceIndex
from dialogue.selectors.plans import (
    ItemChange,
    allowed_markings,
    plan_revision_diff,
    previous_revision,
    readable_items,
    reading_marking,
    with_live_marking,
)

Kind = PlanRevisionItem.Kind
OPEN_ACTION = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS]
CRITICAL_SEVERITY = 15

# Snapshot fields whose values are choices: shown by their labels.
CHOICE_FIELDS = {
    (Kind.THREAT, "status"): ThreatStatus,
    (Kind.ACTION, "status"): ActionStatus,
    (Kind.ACTION, "priority"): Priority,
    (Kind.ACTION, "pillar"): PolicyPillar,
    (Kind.CHOKEPOINT, "stage"): SupplyChainStage,
    (Kind.CHOKEPOINT, "outflow_concern"): ConcernLevel,
}
FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "name": gettext_lazy("Name"),
    "sector": gettext_lazy("Sector"),
    "category": gettext_lazy("Threat code"),
    "likelihood": gettext_lazy("Likelihood"),
    "impact": gettext_lazy("Impact"),
    "severity": gettext_lazy("Severity"),
    "status": gettext_lazy("Status"),
    "source_session": gettext_lazy("Source session"),
    "source_concern": gettext_lazy("Source concern"),
    "source_threat": gettext_lazy("Source threat"),
    "chokepoints": gettext_lazy("Related chokepoints"),
    "stage": gettext_lazy("Supply-chain stage"),
    "world_share_pct": gettext_lazy("World share (%)"),
    "outflow_concern": gettext_lazy("Concern of outflow"),
    "like_minded_holders": gettext_lazy("Like-minded countries also holding it"),
    "due_on": gettext_lazy("Due date"),
    "priority": gettext_lazy("Priority"),
    "pillar": gettext_lazy("Policy pillar"),
    "concerns": gettext_lazy("Concerns"),
    "organizations": gettext_lazy("Organizations"),
    "marking": gettext_lazy("Marking"),
}
CHANGE_LABELS = {
    "added": gettext_lazy("Added"),
    "removed": gettext_lazy("Removed"),
    "changed": gettext_lazy("Changed"),
}


def marking_label(value: str) -> str:
    return Marking(value).label if value in Marking.values else str(value)


def local_datetime(value) -> str:
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i")


def _date(value):
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return value


def choice_label(kind: str, name: str, value):
    choices = CHOICE_FIELDS.get((kind, name))
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return value


def item_title(data: dict) -> str:
    return data.get("title") or data.get("name") or ""


def may_see_concern_counts(user: User, allowed: list[str] | None) -> set[int] | None:
    """Sectors whose concern counts (AMBER snapshot lines) the reader may see; None for all.

    The AMBER row of the visibility table: the secretariat, and officials of the sector.
    """
    if allowed is not None and Marking.AMBER not in allowed:
        return set()
    if is_secretariat(user):
        return None
    return set(official_sector_ids(user).values_list("pk", flat=True))


# --- the changes since the previous revision -------------------------------------------


@dataclass
class ChangeLine:
    """One change as a reader sees it: concern counts suppressed below K_ANONYMITY."""

    change: ItemChange
    title: str
    fields: list[tuple[str, str, object, object]]  # (name, label, old, new)

    @property
    def kind_label(self) -> str:
        return str(Kind(self.change.kind).label)

    @property
    def change_label(self) -> str:
        return str(CHANGE_LABELS[self.change.change])

    @property
    def reference(self) -> str:
        change = self.change
        if change.kind == Kind.CONCERN_AGGREGATE:
            return f"{change.data.get('sector', '')} × {change.data.get('category', '')}"
        return f"#{change.key.rsplit(':', 1)[-1]}"


def _shown_reference(value) -> str:
    return str(HIDDEN) if value is HIDDEN else f"#{value}"


def _shown_value(kind: str, name: str, value):
    """A field of a disclosed change, for a page or a file: references as "#id" or HIDDEN."""
    if isinstance(value, list):
        return ", ".join(_shown_reference(v) for v in value)
    if name.startswith("source_") and value is not None:
        return _shown_reference(value)
    if name == "marking":
        return marking_label(value) if value else ""
    return choice_label(kind, name, value)


def plan_revision_changes(
    revision: PlanRevision, user: User, *, max_marking: str | None = None
) -> list[ChangeLine]:
    """The diff page's and the exports' changes: `plan_revision_diff`, labelled for reading."""
    lines: list[ChangeLine] = []
    for change in plan_revision_diff(revision, user, max_marking=max_marking):
        if change.kind == Kind.CONCERN_AGGREGATE:
            counts = change.fields["concerns"]
            lines.append(
                ChangeLine(
                    change,
                    str(Kind.CONCERN_AGGREGATE.label),
                    [
                        (
                            "concerns",
                            str(FIELD_LABELS["concerns"]),
                            count_label(counts["old"]),
                            count_label(counts["new"]),
                        )
                    ],
                )
            )
            continue
        fields = [
            (
                name,
                str(FIELD_LABELS.get(name, name)),
                _shown_value(change.kind, name, values["old"]),
                _shown_value(change.kind, name, values["new"]),
            )
            for name, values in change.fields.items()
        ]
        lines.append(ChangeLine(change, item_title(change.data), fields))
    return lines


def change_order(line: ChangeLine, sector_order: dict[str, int]) -> tuple:
    """Per sector (in the sectors' order), kind, change, then item number."""
    change = line.change
    number = change.key.rsplit(":", 1)[-1]
    return (
        sector_order.get(change.sector, 1_000_000),
        change.kind,
        change.change,
        int(number) if number.isdigit() else 0,
        change.key,
    )


# --- the document -------------------------------------------------------------------------


class PlanSummary:
    """Builds the sheets; the lookups every sheet shares are made once, up front."""

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

    # -- shared lookups (each made once, when first needed) ----------------------
    @cached_property
    def sources(self) -> SourceIndex:
        return SourceIndex.build(items=self.items, user=self.user, allowed=self.allowed)

    @cached_property
    def changes(self) -> list[ChangeLine]:
        return plan_revision_changes(self.revision, self.user, max_marking=self.max_marking)

    @cached_property
    def counts(self) -> dict[tuple[int, str], dict]:
        return self._counts()

    @cached_property
    def aggregates(self) -> dict[tuple[str, str], dict]:
        return self._aggregates()

    def _counts(self) -> dict[tuple[int, str], dict]:
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

    def _aggregates(self) -> dict[tuple[str, str], dict]:
        return {
            (data.get("sector"), data.get("category")): data
            for data in self.items.filter(kind=Kind.CONCERN_AGGREGATE).values_list(
                "data", flat=True
            )
        }

    def markings(self) -> set[str]:
        pairs = with_live_marking(self.items.order_by()).values_list("marking", "live_marking")
        present = {reading_marking(then, now) for then, now in pairs.distinct()}
        return present | self.sources.markings()

    def _ordered(self, kind: str):
        """(object_id, marking, data) per line, the marking as read now (`reading_marking`)."""
        rows = (
            with_live_marking(self.items.filter(kind=kind))
            .order_by("sector__sort_order", "sector__code", "object_id")
            .values_list("object_id", "marking", "live_marking", "data")
            .iterator(chunk_size=2000)
        )
        for object_id, then, now, data in rows:
            yield object_id, reading_marking(then, now), data

    def _sources_text(self, kind: str, object_id, data: dict) -> str:
        return "; ".join(s.reference() for s in self.sources.for_item(kind, object_id, data))

    def _visible_concern_cell(self, sector: Sector, code: str):
        if self.concern_sectors is not None and sector.pk not in self.concern_sectors:
            return ""  # not the reader's to know
        data = self.aggregates.get((sector.code, code))
        if data is None:
            return str(FEWER_THAN_K)
        return concern_count(data.get("concerns", 0), data.get("organizations", 0))

    def _shown_concerns_in_sector(self, sector: Sector):
        if self.concern_sectors is not None and sector.pk not in self.concern_sectors:
            return ""
        return sum(
            data.get("concerns", 0)
            for (code, _category), data in self.aggregates.items()
            if code == sector.code and count_is_shown(data.get("organizations", 0))
        )

    # -- sheets ----------------------------------------------------------------
    def summary_rows(self):
        revision = self.revision
        totals = {kind: 0 for kind in Kind.values}
        for (_sector, kind), row in self.counts.items():
            totals[kind] += row["total"]
        by_change = {"added": 0, "removed": 0, "changed": 0}
        for line in self.changes:
            by_change[line.change.change] += 1
        return [
            (_("Plan revision"), revision.label),
            (_("Status"), str(PlanRevisionStatus(revision.status).label)),
            (_("Published at"), local_datetime(revision.published_at)),
            (_("Previous revision"), self.previous.label if self.previous else ""),
            (_("Marking"), self.marking),
            (
                _("Maximum marking"),
                marking_label(self.max_marking) if self.max_marking else _("none"),
            ),
            (_("Threats"), totals[Kind.THREAT]),
            (_("Chokepoint technologies"), totals[Kind.CHOKEPOINT]),
            (_("Follow-up actions"), totals[Kind.ACTION]),
            (_("Added since the previous revision"), by_change["added"]),
            (_("Removed since the previous revision"), by_change["removed"]),
            (_("Changed since the previous revision"), by_change["changed"]),
            (
                _("Concern counts"),
                _(
                    "Shown by sector and threat code only where at least 3 organizations "
                    "stand behind them; otherwise “fewer than 3”."
                ),
            ),
            (_("Generated at"), self.generated_at),
        ]

    def sector_rows(self):
        for sector in self.sectors:

            def count(kind, name="total", sector=sector):
                row = self.counts.get((sector.pk, kind))
                return row[name] if row else 0

            yield (
                sector.code,
                sector.name,
                count(Kind.THREAT),
                count(Kind.THREAT, "critical"),
                count(Kind.CHOKEPOINT),
                count(Kind.ACTION),
                count(Kind.ACTION, "open"),
                self._shown_concerns_in_sector(sector),
            )

    def heatmap_rows(self):
        cells = {
            (row["sector_id"], row["category"]): row
            for row in self.items.filter(kind=Kind.THREAT)
            .annotate(category=KT("data__category"))
            .order_by()
            .values("sector_id", "category")
            .annotate(
                threats=Count("pk"),
                max_severity=Max(Cast(KT("data__severity"), IntegerField())),
            )
        }
        for sector in self.sectors:
            for code in self.leaf_codes:
                cell = cells.get((sector.pk, code.code))
                top = cell["max_severity"] if cell else None
                yield (
                    sector.code,
                    sector.name,
                    code.code,
                    code.name,
                    cell["threats"] if cell else 0,
                    top,
                    str(severity_level(top).label) if top else "",
                    self._visible_concern_cell(sector, code.code),
                )

    def threat_rows(self):
        for object_id, marking, data in self._ordered(Kind.THREAT):
            severity = data.get("severity")
            yield (
                object_id,
                data.get("sector", ""),
                self.sector_names.get(data.get("sector"), ""),
                data.get("category", ""),
                self.code_names.get(data.get("category"), ""),
                data.get("title", ""),
                data.get("likelihood"),
                data.get("impact"),
                severity,
                str(severity_level(severity).label) if severity else "",
                choice_label(Kind.THREAT, "status", data.get("status")),
                marking_label(marking),
                self._sources_text(Kind.THREAT, object_id, data),
            )

    def chokepoint_rows(self):
        for object_id, marking, data in self._ordered(Kind.CHOKEPOINT):
            yield (
                object_id,
                data.get("sector", ""),
                self.sector_names.get(data.get("sector"), ""),
                data.get("name", ""),
                choice_label(Kind.CHOKEPOINT, "stage", data.get("stage")),
                _decimal(data.get("world_share_pct")),
                choice_label(Kind.CHOKEPOINT, "outflow_concern", data.get("outflow_concern")),
                data.get("like_minded_holders", ""),
                marking_label(marking),
                self._sources_text(Kind.CHOKEPOINT, object_id, data),
            )

    def action_rows(self):
        for object_id, marking, data in self._ordered(Kind.ACTION):
            yield (
                object_id,
                data.get("sector", ""),
                self.sector_names.get(data.get("sector"), ""),
                data.get("title", ""),
                _date(data.get("due_on")),
                choice_label(Kind.ACTION, "status", data.get("status")),
                choice_label(Kind.ACTION, "priority", data.get("priority")),
                choice_label(Kind.ACTION, "pillar", data.get("pillar")),
                marking_label(marking),
                self._sources_text(Kind.ACTION, object_id, data),
            )

    def change_rows(self):
        lines = sorted(self.changes, key=lambda line: change_order(line, self.sector_order))
        for line in lines:
            change = line.change
            head = (
                change.sector,
                self.sector_names.get(change.sector, ""),
                line.kind_label,
                line.reference,
                line.title,
                line.change_label,
            )
            if change.change == "changed" or change.kind == Kind.CONCERN_AGGREGATE:
                for _name, label, old, new in line.fields:
                    yield (*head, label, old, new)
            else:
                yield (*head, "", "", "")

    def source_rows(self):
        for kind in (Kind.THREAT, Kind.CHOKEPOINT, Kind.ACTION):
            for object_id, _marking, data in self._ordered(kind):
                for source in self.sources.for_item(kind, object_id, data):
                    yield (
                        str(Kind(kind).label),
                        object_id,
                        item_title(data),
                        source.kind_label,
                        source.pk,
                        source.title,
                        source.date,
                        marking_label(source.marking),
                        source.url,
                    )

    def document(self) -> ExportDocument:
        self.generated_at = local_datetime(timezone.now())
        self.marking = marking_label(Marking.highest(self.markings()))
        label = self.revision.label
        sheets = [
            Sheet("summary", _("Summary"), [_("Item"), _("Value")], self.summary_rows, [34, 80]),
            Sheet(
                "sectors",
                _("Sectors"),
                [
                    _("Sector code"),
                    _("Sector"),
                    _("Threats"),
                    _("Critical threats (15+)"),
                    _("Chokepoint technologies"),
                    _("Follow-up actions"),
                    _("Open actions"),
                    _("Concerns (cells with 3+ organizations)"),
                ],
                self.sector_rows,
                [22, 24, 10, 12, 12, 12, 12, 16],
                [
                    "sector",
                    "sector_name",
                    "threats",
                    "critical",
                    "chokepoints",
                    "actions",
                    "open",
                    "concerns",
                ],
            ),
            Sheet(
                "heatmap",
                _("Threats by sector × code"),
                [
                    _("Sector code"),
                    _("Sector"),
                    _("Threat code"),
                    _("Threat"),
                    _("Number of threats"),
                    _("Highest severity"),
                    _("Severity band"),
                    _("Concerns"),
                ],
                self.heatmap_rows,
                [22, 24, 10, 34, 10, 12, 12, 14],
                [
                    "sector",
                    "sector_name",
                    "code",
                    "code_name",
                    "threats",
                    "max_severity",
                    "band",
                    "concerns",
                ],
            ),
            Sheet(
                "threats",
                _("Threats"),
                [
                    _("ID"),
                    _("Sector code"),
                    _("Sector"),
                    _("Threat code"),
                    _("Threat"),
                    _("Title"),
                    _("Likelihood"),
                    _("Impact"),
                    _("Severity"),
                    _("Severity band"),
                    _("Status"),
                    _("Marking"),
                    _("Sources (why is this here)"),
                ],
                self.threat_rows,
                [8, 18, 16, 8, 24, 40, 8, 8, 8, 10, 12, 16, 60],
            ),
            Sheet(
                "chokepoints",
                _("Chokepoint technologies"),
                [
                    _("ID"),
                    _("Sector code"),
                    _("Sector"),
                    _("Name"),
                    _("Supply-chain stage"),
                    _("World share (%)"),
                    _("Concern of outflow"),
                    _("Like-minded countries also holding it"),
                    _("Marking"),
                    _("Sources (why is this here)"),
                ],
                self.chokepoint_rows,
                [8, 18, 16, 36, 12, 10, 12, 24, 16, 60],
            ),
            Sheet(
                "actions",
                _("Follow-up actions"),
                [
                    _("ID"),
                    _("Sector code"),
                    _("Sector"),
                    _("Title"),
                    _("Due date"),
                    _("Status"),
                    _("Priority"),
                    _("Policy pillar"),
                    _("Marking"),
                    _("Sources (why is this here)"),
                ],
                self.action_rows,
                [8, 18, 16, 40, 12, 12, 10, 20, 16, 60],
            ),
            Sheet(
                "changes",
                _("Changes since the previous revision"),
                [
                    _("Sector code"),
                    _("Sector"),
                    _("Kind"),
                    _("Reference"),
                    _("Title"),
                    _("Change"),
                    _("Field"),
                    _("Previous"),
                    _("Current"),
                ],
                self.change_rows,
                [18, 16, 18, 12, 40, 10, 18, 24, 24],
            ),
            Sheet(
                "sources",
                _("Sources"),
                [
                    _("Kind"),
                    _("ID"),
                    _("Title"),
                    _("Source"),
                    _("Source ID"),
                    _("Source title"),
                    _("Source date"),
                    _("Source marking"),
                    _("Link"),
                ],
                self.source_rows,
                [18, 8, 40, 18, 10, 40, 12, 16, 40],
            ),
        ]
        return ExportDocument(
            title=_("Action plan %(label)s: summary") % {"label": label},
            marking=self.marking,
            sheets=sheets,
            generated_at=self.generated_at,
            extra={"revision": self.revision, "previous": self.previous},
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
