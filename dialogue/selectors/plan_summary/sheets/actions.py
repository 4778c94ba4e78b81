"""The revision's follow-up-action lines, each with the sources that put it there."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from dialogue.models import PlanRevisionItem
from dialogue.selectors.plan_summary.columns import Column, PlanSheet
from dialogue.selectors.plan_summary.labels import as_date, choice_label, marking_label

Kind = PlanRevisionItem.Kind


@dataclass(frozen=True, slots=True)
class ActionLine:
    id: int
    sector: str
    sector_name: str
    title: str
    due_on: datetime.date | str | None
    status: str
    priority: str
    pillar: str
    marking: str
    sources: str


class ActionSheet(PlanSheet[ActionLine]):
    key = "actions"
    title = gettext_lazy("Follow-up actions")
    columns = (
        Column("id", gettext_lazy("ID"), 8),
        Column("sector", gettext_lazy("Sector code"), 18),
        Column("sector_name", gettext_lazy("Sector"), 16),
        Column("title", gettext_lazy("Title"), 40),
        Column("due_on", gettext_lazy("Due date"), 12),
        Column("status", gettext_lazy("Status"), 12),
        Column("priority", gettext_lazy("Priority"), 10),
        Column("pillar", gettext_lazy("Policy pillar"), 20),
        Column("marking", gettext_lazy("Marking"), 16),
        Column("sources", gettext_lazy("Sources (why is this here)"), 60),
    )

    def rows(self) -> Iterator[ActionLine]:
        summary = self.summary
        for object_id, marking, data in summary.ordered(Kind.ACTION):
            yield ActionLine(
                id=object_id,
                sector=data.get("sector", ""),
                sector_name=summary.sector_names.get(data.get("sector", ""), ""),
                title=data.get("title", ""),
                due_on=as_date(data.get("due_on")),
                status=choice_label(Kind.ACTION, "status", data.get("status")),
                priority=choice_label(Kind.ACTION, "priority", data.get("priority")),
                pillar=choice_label(Kind.ACTION, "pillar", data.get("pillar")),
                marking=marking_label(marking),
                sources=summary.sources_text(Kind.ACTION, object_id, data),
            )
