"""The revision's threat lines, each with the sources that put it there."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from dialogue.models import PlanRevisionItem
from dialogue.models.threats import severity_level
from dialogue.selectors.plan_summary.columns import Column, PlanSheet
from dialogue.selectors.plan_summary.labels import choice_label, marking_label

Kind = PlanRevisionItem.Kind


@dataclass(frozen=True, slots=True)
class ThreatLine:
    id: int
    sector: str
    sector_name: str
    code: str
    code_name: str
    title: str
    likelihood: int | None
    impact: int | None
    severity: int | None
    band: str
    status: str
    marking: str
    sources: str


class ThreatSheet(PlanSheet[ThreatLine]):
    key = "threats"
    title = gettext_lazy("Threats")
    columns = (
        Column("id", gettext_lazy("ID"), 8),
        Column("sector", gettext_lazy("Sector code"), 18),
        Column("sector_name", gettext_lazy("Sector"), 16),
        Column("code", gettext_lazy("Threat code"), 8),
        Column("code_name", gettext_lazy("Threat"), 24),
        Column("title", gettext_lazy("Title"), 40),
        Column("likelihood", gettext_lazy("Likelihood"), 8),
        Column("impact", gettext_lazy("Impact"), 8),
        Column("severity", gettext_lazy("Severity"), 8),
        Column("band", gettext_lazy("Severity band"), 10),
        Column("status", gettext_lazy("Status"), 12),
        Column("marking", gettext_lazy("Marking"), 16),
        Column("sources", gettext_lazy("Sources (why is this here)"), 60),
    )

    def rows(self) -> Iterator[ThreatLine]:
        summary = self.summary
        for object_id, marking, data in summary.ordered(Kind.THREAT):
            severity = data.get("severity")
            yield ThreatLine(
                id=object_id,
                sector=data.get("sector", ""),
                sector_name=summary.sector_names.get(data.get("sector", ""), ""),
                code=data.get("category", ""),
                code_name=summary.code_names.get(data.get("category", ""), ""),
                title=data.get("title", ""),
                likelihood=data.get("likelihood"),
                impact=data.get("impact"),
                severity=severity,
                band=str(severity_level(severity).label) if severity else "",
                status=choice_label(Kind.THREAT, "status", data.get("status")),
                marking=marking_label(marking),
                sources=summary.sources_text(Kind.THREAT, object_id, data),
            )
