"""Why each line is there: one row per source cited, as the reader may see it."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from dialogue.models import PlanRevisionItem
from dialogue.selectors.plan_summary.columns import Column, PlanSheet
from dialogue.selectors.plan_summary.labels import item_title, marking_label

Kind = PlanRevisionItem.Kind
LINE_KINDS = (Kind.THREAT, Kind.CHOKEPOINT, Kind.ACTION)


@dataclass(frozen=True, slots=True)
class SourceRow:
    kind: str  # the line's kind
    id: int  # the line's record
    title: str
    source: str  # the source's kind
    source_id: int
    source_title: str
    source_date: datetime.date | None
    source_marking: str
    link: str


class SourceSheet(PlanSheet[SourceRow]):
    key = "sources"
    title = gettext_lazy("Sources")
    columns = (
        Column("kind", gettext_lazy("Kind"), 18),
        Column("id", gettext_lazy("ID"), 8),
        Column("title", gettext_lazy("Title"), 40),
        Column("source", gettext_lazy("Source"), 18),
        Column("source_id", gettext_lazy("Source ID"), 10),
        Column("source_title", gettext_lazy("Source title"), 40),
        Column("source_date", gettext_lazy("Source date"), 12),
        Column("source_marking", gettext_lazy("Source marking"), 16),
        Column("link", gettext_lazy("Link"), 40),
    )

    def rows(self) -> Iterator[SourceRow]:
        summary = self.summary
        for kind in LINE_KINDS:
            for object_id, _marking, data in summary.ordered(kind):
                for source in summary.sources.for_item(kind, object_id, data):
                    yield SourceRow(
                        kind=str(Kind(kind).label),
                        id=object_id,
                        title=item_title(data),
                        source=source.kind_label,
                        source_id=source.pk,
                        source_title=source.title,
                        source_date=source.date,
                        source_marking=marking_label(source.marking),
                        link=source.url,
                    )
