"""The revision's dependency figures (依存・特定国依存), with the threats and chokepoints
linked to them as far as the reader may read those lines."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext, gettext_lazy

from dialogue.countries import country_name
from dialogue.models import PlanRevisionItem
from dialogue.selectors.dependencies import dependency_threshold, is_dependent
from dialogue.selectors.plan_summary.columns import Column, PlanSheet
from dialogue.selectors.plan_summary.labels import as_decimal, choice_label, marking_label

Kind = PlanRevisionItem.Kind


@dataclass(frozen=True, slots=True)
class DependencyLine:
    id: int
    sector: str
    sector_name: str
    product: str
    hs_code: str
    stage: str
    country: str
    country_name: str
    year: int | None
    share_pct: Decimal | None
    basis: str
    flag: str
    precision: str
    source: str
    threats: str
    chokepoints: str
    marking: str


class DependencySheet(PlanSheet[DependencyLine]):
    key = "dependencies"
    title = gettext_lazy("Dependencies")
    columns = (
        Column("id", gettext_lazy("ID"), 8),
        Column("sector", gettext_lazy("Sector code"), 18),
        Column("sector_name", gettext_lazy("Sector"), 16),
        Column("product", gettext_lazy("Product or material"), 30),
        Column("hs_code", gettext_lazy("HS code"), 10),
        Column("stage", gettext_lazy("Supply-chain stage"), 12),
        Column("country", gettext_lazy("Country code"), 8),
        Column("country_name", gettext_lazy("Supplier country"), 14),
        Column("year", gettext_lazy("Year"), 8),
        Column("share_pct", gettext_lazy("Share (%)"), 10),
        Column("basis", gettext_lazy("Share of"), 18),
        Column("flag", gettext_lazy("Single-country dependency"), 14),
        Column("precision", gettext_lazy("Precision"), 14),
        Column("source", gettext_lazy("Source"), 40),
        Column("threats", gettext_lazy("Related threats"), 16),
        Column("chokepoints", gettext_lazy("Related chokepoints"), 16),
        Column("marking", gettext_lazy("Marking"), 16),
    )

    @cached_property
    def readable_lines(self) -> dict[str, set[int]]:
        """Threat and chokepoint lines the reader may read in this edition: one query."""
        rows = self.summary.items.filter(kind__in=[Kind.THREAT, Kind.CHOKEPOINT]).values_list(
            "kind", "object_id"
        )
        readable: dict[str, set[int]] = {Kind.THREAT: set(), Kind.CHOKEPOINT: set()}
        for kind, object_id in rows:
            if object_id is not None:
                readable[kind].add(object_id)
        return readable

    def _references(self, kind: str, ids: list[int] | None) -> str:
        # A linked record whose line the reader may not read is left out without a trace.
        shown = [f"#{pk}" for pk in ids or [] if pk in self.readable_lines[kind]]
        return ", ".join(shown)

    def rows(self) -> Iterator[DependencyLine]:
        summary = self.summary
        threshold = dependency_threshold()
        flagged = gettext("Single-country dependency")
        for object_id, marking, data in summary.ordered(Kind.DEPENDENCY):
            share = as_decimal(data.get("share_pct"))
            code = data.get("country", "")
            yield DependencyLine(
                id=object_id,
                sector=data.get("sector", ""),
                sector_name=summary.sector_names.get(data.get("sector", ""), ""),
                product=data.get("product", ""),
                hs_code=data.get("hs_code", ""),
                stage=choice_label(Kind.DEPENDENCY, "stage", data.get("stage")),
                country=code,
                country_name=country_name(code),
                year=data.get("year"),
                share_pct=share,
                basis=choice_label(Kind.DEPENDENCY, "basis", data.get("basis")),
                flag=flagged if is_dependent(share, threshold) else "",
                precision=choice_label(Kind.DEPENDENCY, "precision", data.get("precision")),
                source=data.get("source", ""),
                threats=self._references(Kind.THREAT, data.get("threats")),
                chokepoints=self._references(Kind.CHOKEPOINT, data.get("chokepoints")),
                marking=marking_label(marking),
            )
