"""The revision's chokepoint-technology lines, each with the sources that put it there."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy

from dialogue.models import PlanRevisionItem
from dialogue.selectors.plan_summary.columns import Column, PlanSheet
from dialogue.selectors.plan_summary.labels import as_decimal, choice_label, marking_label

Kind = PlanRevisionItem.Kind


@dataclass(frozen=True, slots=True)
class ChokepointLine:
    id: int
    sector: str
    sector_name: str
    name: str
    stage: str
    world_share_pct: Decimal | None
    outflow_concern: str
    like_minded_holders: str
    marking: str
    sources: str


class ChokepointSheet(PlanSheet[ChokepointLine]):
    key = "chokepoints"
    title = gettext_lazy("Chokepoint technologies")
    columns = (
        Column("id", gettext_lazy("ID"), 8),
        Column("sector", gettext_lazy("Sector code"), 18),
        Column("sector_name", gettext_lazy("Sector"), 16),
        Column("name", gettext_lazy("Name"), 36),
        Column("stage", gettext_lazy("Supply-chain stage"), 12),
        Column("world_share_pct", gettext_lazy("World share (%)"), 10),
        Column("outflow_concern", gettext_lazy("Concern of outflow"), 12),
        Column("like_minded_holders", gettext_lazy("Like-minded countries also holding it"), 24),
        Column("marking", gettext_lazy("Marking"), 16),
        Column("sources", gettext_lazy("Sources (why is this here)"), 60),
    )

    def rows(self) -> Iterator[ChokepointLine]:
        summary = self.summary
        for object_id, marking, data in summary.ordered(Kind.CHOKEPOINT):
            yield ChokepointLine(
                id=object_id,
                sector=data.get("sector", ""),
                sector_name=summary.sector_names.get(data.get("sector", ""), ""),
                name=data.get("name", ""),
                stage=choice_label(Kind.CHOKEPOINT, "stage", data.get("stage")),
                world_share_pct=as_decimal(data.get("world_share_pct")),
                outflow_concern=choice_label(
                    Kind.CHOKEPOINT, "outflow_concern", data.get("outflow_concern")
                ),
                like_minded_holders=data.get("like_minded_holders", ""),
                marking=marking_label(marking),
                sources=summary.sources_text(Kind.CHOKEPOINT, object_id, data),
            )
