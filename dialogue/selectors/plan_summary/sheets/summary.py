"""The first sheet: what this document is, as item–value pairs."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogue.enums import PlanRevisionStatus
from dialogue.models import PlanRevisionItem
from dialogue.selectors.plan_summary.columns import Column, PlanSheet
from dialogue.selectors.plan_summary.labels import local_datetime, marking_label

Kind = PlanRevisionItem.Kind


@dataclass(frozen=True, slots=True)
class SummaryRow:
    item: str
    value: object


class OverviewSheet(PlanSheet[SummaryRow]):
    key = "summary"
    title = gettext_lazy("Summary")
    columns = (
        Column("item", gettext_lazy("Item"), 34),
        Column("value", gettext_lazy("Value"), 80),
    )

    def rows(self) -> list[SummaryRow]:
        summary = self.summary
        revision = summary.revision
        totals = {kind: 0 for kind in Kind.values}
        for (_sector, kind), row in summary.counts.items():
            totals[kind] += row["total"]
        by_change = {"added": 0, "removed": 0, "changed": 0}
        for line in summary.changes:
            by_change[line.change.change] += 1
        max_marking = summary.max_marking
        pairs = [
            (_("Plan revision"), revision.label),
            (_("Status"), str(PlanRevisionStatus(revision.status).label)),
            (_("Published at"), local_datetime(revision.published_at)),
            (_("Previous revision"), summary.previous.label if summary.previous else ""),
            (_("Marking"), summary.marking),
            (_("Maximum marking"), marking_label(max_marking) if max_marking else _("none")),
            (_("Threats"), totals[Kind.THREAT]),
            (_("Chokepoint technologies"), totals[Kind.CHOKEPOINT]),
            *(
                (_("Chokepoints at stage: %(stage)s") % {"stage": label}, count)
                for label, count in summary.chokepoints_by_stage()
            ),
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
            (_("Generated at"), summary.generated_at),
        ]
        return [SummaryRow(item, value) for item, value in pairs]
