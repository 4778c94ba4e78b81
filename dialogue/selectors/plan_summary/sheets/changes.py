"""The changes since the previous revision: a row per changed field, one per added or
removed line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy, pgettext_lazy

from dialogue.models import PlanRevisionItem
from dialogue.selectors.plan_summary.changes import ChangeLine, change_order
from dialogue.selectors.plan_summary.columns import Column, PlanSheet

Kind = PlanRevisionItem.Kind


@dataclass(frozen=True, slots=True)
class ChangeRow:
    sector: str
    sector_name: str
    kind: str
    reference: str  # "#id", or "sector × code" for a concern count
    title: str
    change: str
    field: str  # "" for an added or removed line
    previous: object
    current: object


class ChangeSheet(PlanSheet[ChangeRow]):
    key = "changes"
    title = gettext_lazy("Changes since the previous revision")
    columns = (
        Column("sector", gettext_lazy("Sector code"), 18),
        Column("sector_name", gettext_lazy("Sector"), 16),
        Column("kind", gettext_lazy("Kind"), 18),
        Column("reference", gettext_lazy("Reference"), 12),
        Column("title", gettext_lazy("Title"), 40),
        Column("change", gettext_lazy("Change"), 10),
        Column("field", gettext_lazy("Field"), 18),
        Column("previous", pgettext_lazy("value before the change", "Previous"), 24),
        Column("current", gettext_lazy("Current"), 24),
    )

    def rows(self) -> Iterator[ChangeRow]:
        summary = self.summary
        lines = sorted(summary.changes, key=lambda line: change_order(line, summary.sector_order))
        for line in lines:
            change = line.change
            if change.change == "changed" or change.kind == Kind.CONCERN_AGGREGATE:
                for field in line.fields:
                    yield self._row(line, field.label, field.old, field.new)
            else:
                yield self._row(line)

    def _row(
        self, line: ChangeLine, field: str = "", previous: object = "", current: object = ""
    ) -> ChangeRow:
        sector = line.change.sector
        return ChangeRow(
            sector=sector,
            sector_name=self.summary.sector_names.get(sector, ""),
            kind=line.kind_label,
            reference=line.reference,
            title=line.title,
            change=line.change_label,
            field=field,
            previous=previous,
            current=current,
        )
