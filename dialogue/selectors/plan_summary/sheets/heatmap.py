"""Threats by sector × threat code, with the concern counts behind each cell."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Max
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy

from dialogue.models import PlanRevisionItem
from dialogue.models.threats import severity_level
from dialogue.selectors.plan_summary.columns import Column, PlanSheet

Kind = PlanRevisionItem.Kind


@dataclass(frozen=True, slots=True)
class HeatmapCell:
    sector: str  # the sector's code
    sector_name: str
    code: str  # the threat code
    code_name: str
    threats: int
    max_severity: int | None
    band: str  # the severity band of max_severity
    # A count, "fewer than 3" (which also stands for none), or "" when not the reader's.
    concerns: int | str


class HeatmapSheet(PlanSheet[HeatmapCell]):
    key = "heatmap"
    title = gettext_lazy("Threats by sector × code")
    # The PDF pivots this sheet into a matrix by these keys (exports/pdf.py: heatmap).
    columns = (
        Column("sector", gettext_lazy("Sector code"), 22),
        Column("sector_name", gettext_lazy("Sector"), 24),
        Column("code", gettext_lazy("Threat code"), 10),
        Column("code_name", gettext_lazy("Threat"), 34),
        Column("threats", gettext_lazy("Number of threats"), 10),
        Column("max_severity", gettext_lazy("Highest severity"), 12),
        Column("band", gettext_lazy("Severity band"), 12),
        Column("concerns", gettext_lazy("Concerns"), 14),
    )

    def rows(self) -> Iterator[HeatmapCell]:
        """Every sector × leaf code, sectors then codes in their order, empty cells included."""
        summary = self.summary
        cells = {
            (row["sector_id"], row["category"]): row
            for row in summary.items.filter(kind=Kind.THREAT)
            .annotate(category=KT("data__category"))
            .order_by()
            .values("sector_id", "category")
            .annotate(
                threats=Count("pk"),
                max_severity=Max(Cast(KT("data__severity"), IntegerField())),
            )
        }
        for sector in summary.sectors:
            for code in summary.leaf_codes:
                cell = cells.get((sector.pk, code.code))
                top = cell["max_severity"] if cell else None
                yield HeatmapCell(
                    sector=sector.code,
                    sector_name=sector.name,
                    code=code.code,
                    code_name=code.name,
                    threats=cell["threats"] if cell else 0,
                    max_severity=top,
                    band=str(severity_level(top).label) if top else "",
                    concerns=summary.visible_concern_cell(sector, code.code),
                )
