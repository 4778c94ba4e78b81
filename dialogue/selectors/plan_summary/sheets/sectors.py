"""Per sector: how many lines of each kind, and the concern counts that may be shown."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from dialogue.models import PlanRevisionItem, Sector
from dialogue.selectors.plan_summary.columns import Column, PlanSheet

Kind = PlanRevisionItem.Kind


@dataclass(frozen=True, slots=True)
class SectorRow:
    sector: str  # the sector's code
    sector_name: str
    threats: int
    critical: int
    chokepoints: int
    actions: int
    open: int
    # Only the cells shown (3+ organizations) add up, so no small cell can be worked out
    # by subtraction; "" when the reader may not know the sector's counts at all.
    concerns: int | str


class SectorSheet(PlanSheet[SectorRow]):
    key = "sectors"
    title = gettext_lazy("Sectors")
    columns = (
        Column("sector", gettext_lazy("Sector code"), 22),
        Column("sector_name", gettext_lazy("Sector"), 24),
        Column("threats", gettext_lazy("Threats"), 10),
        Column("critical", gettext_lazy("Critical threats (15+)"), 12),
        Column("chokepoints", gettext_lazy("Chokepoint technologies"), 12),
        Column("actions", gettext_lazy("Follow-up actions"), 12),
        Column("open", gettext_lazy("Open actions"), 12),
        Column("concerns", gettext_lazy("Concerns (cells with 3+ organizations)"), 16),
    )

    def rows(self) -> Iterator[SectorRow]:
        summary = self.summary
        for sector in summary.sectors:

            def count(kind: str, name: str = "total", sector: Sector = sector) -> int:
                row = summary.counts.get((sector.pk, kind))
                return row[name] if row else 0

            yield SectorRow(
                sector=sector.code,
                sector_name=sector.name,
                threats=count(Kind.THREAT),
                critical=count(Kind.THREAT, "critical"),
                chokepoints=count(Kind.CHOKEPOINT),
                actions=count(Kind.ACTION),
                open=count(Kind.ACTION, "open"),
                concerns=summary.shown_concerns_in_sector(sector),
            )
