"""The revision's chokepoint-technology lines, each with the sources that put it there."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy

from dialogue.enums import ChokepointProcessStage
from dialogue.models import PlanRevisionItem
from dialogue.selectors.plan_summary.columns import Column, PlanSheet
from dialogue.selectors.plan_summary.labels import (
    as_date,
    as_decimal,
    choice_label,
    marking_label,
)

Kind = PlanRevisionItem.Kind

# The plan's process in order; a snapshot taken before stages were recorded comes last.
STAGE_ORDER = {stage: n for n, stage in enumerate(ChokepointProcessStage.values)}


def stage_rank(data: dict[str, Any]) -> int:
    return STAGE_ORDER.get(data.get("process_stage") or "", len(STAGE_ORDER))


@dataclass(frozen=True, slots=True)
class ChokepointLine:
    process_stage: str
    id: int
    sector: str
    sector_name: str
    name: str
    stage: str
    world_share_pct: Decimal | None
    outflow_concern: str
    like_minded_holders: str
    survey: str
    support_measures: str
    review_on: object
    marking: str
    sources: str


class ChokepointSheet(PlanSheet[ChokepointLine]):
    key = "chokepoints"
    title = gettext_lazy("Chokepoint technologies")
    # Grouped by the stage in the plan's process (① extraction → ② maintenance and
    # promotion → ③ policy response), then by sector as the other sheets.
    columns = (
        Column("process_stage", gettext_lazy("Stage in the plan's process"), 22),
        Column("id", gettext_lazy("ID"), 8),
        Column("sector", gettext_lazy("Sector code"), 18),
        Column("sector_name", gettext_lazy("Sector"), 16),
        Column("name", gettext_lazy("Name"), 36),
        Column("stage", gettext_lazy("Supply-chain stage"), 12),
        Column("world_share_pct", gettext_lazy("World share (%)"), 10),
        Column("outflow_concern", gettext_lazy("Concern of outflow"), 12),
        Column("like_minded_holders", gettext_lazy("Like-minded countries also holding it"), 24),
        Column("survey", gettext_lazy("Extracted by"), 22),
        Column("support_measures", gettext_lazy("Support measures applied"), 30),
        Column("review_on", gettext_lazy("Review date"), 12),
        Column("marking", gettext_lazy("Marking"), 16),
        Column("sources", gettext_lazy("Sources (why is this here)"), 60),
    )

    def rows(self) -> Iterator[ChokepointLine]:
        summary = self.summary
        lines = sorted(summary.ordered(Kind.CHOKEPOINT), key=lambda line: stage_rank(line[2]))
        for object_id, marking, data in lines:
            yield ChokepointLine(
                process_stage=choice_label(
                    Kind.CHOKEPOINT, "process_stage", data.get("process_stage", "")
                ),
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
                survey=choice_label(Kind.CHOKEPOINT, "survey", data.get("survey", "")),
                support_measures=data.get("support_measures", ""),
                review_on=as_date(data.get("review_on")),
                marking=marking_label(marking),
                sources=summary.sources_text(Kind.CHOKEPOINT, object_id, data),
            )
