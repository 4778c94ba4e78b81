"""What exports contain: the plan-revision summary and the register and tracker lists.

- `plan_revision_summary` (plan_summary.py) is the one selector the XLSX, the
  zipped CSV and the PDF of a plan revision are all written from.
- `list_export` gives the rows of a list exactly as its page or API list shows
  them: it starts from `Model.objects.visible_to(user)`, applies the list's own
  FilterSet and ordering (dialogue/lists/), then the optional maximum marking,
  and counts and marks the result in the same call. The rows are one
  `values_list` query, so the same query can be streamed by Python (any
  database) or by PostgreSQL's COPY (`copy_csv_chunks`); text columns are
  neutralized in SQL with the rule of exports/neutralize.py, so both give the
  same cells.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Case, F, QuerySet, TextField, Value, When
from django.db.models.functions import Concat, Left, NullIf
from django.db.models.lookups import In
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue.enums import Marking
from dialogue.exports.document import ExportDocument, Sheet
from dialogue.exports.neutralize import PREFIX, TRIGGERS
from dialogue.lists import ListKind, Params, list_kind
from dialogue.lists.base import filter_data
from dialogue.lists.columns import Column
from dialogue.models import User
from dialogue.querysets import visible_rows
from dialogue.selectors.plan_summary import (
    allowed_markings,
    local_datetime,
    marking_label,
    plan_revision_item_count,
    plan_revision_summary,
)

__all__ = [
    "ListExport",
    "copy_csv_chunks",
    "export_of",
    "list_export",
    "parse_max_marking",
    "plan_revision_item_count",
    "plan_revision_summary",
]


def parse_max_marking(value: str | None) -> str | None:
    """ "" or None: no cap; otherwise a TLP marking (case-insensitive, "TLP:" optional)."""
    if not value:
        return None
    cleaned = value.strip().upper().removeprefix("TLP:")
    if cleaned not in Marking.values:
        raise ValidationError(
            {
                "max_marking": _("Choose one of %(choices)s.")
                % {"choices": ", ".join(Marking.values)}
            },
            code="invalid_choice",
        )
    return cleaned


# --- list exports -------------------------------------------------------------------------


def neutralized(expression: Any) -> Case:
    """SQL twin of exports.neutralize.neutralize, plus "" → NULL (COPY then writes an empty
    cell unquoted, as Python's csv module does)."""
    return Case(
        When(In(Left(expression, 1), list(TRIGGERS)), then=Concat(Value(PREFIX), expression)),
        default=NullIf(expression, Value("")),
        output_field=TextField(),
    )


def export_rows(
    queryset: QuerySet[Any], columns: tuple[Column, ...], user: User
) -> QuerySet[Any, tuple[Any, ...]]:
    """`queryset` as one values_list query, a tuple per row in column order."""
    annotations: dict[str, Any] = {}
    for column in columns:
        value = column.value(user)
        expression = F(value) if isinstance(value, str) else value
        annotations[f"x_{column.key}"] = neutralized(expression) if column.text else expression
    rows: QuerySet[Any, tuple[Any, ...]] = queryset.annotate(**annotations).values_list(
        *annotations
    )
    return rows


@dataclass
class ListExport:
    """A list's export, counted and marked: everything but the rows is known already."""

    spec: ListKind
    filtered: QuerySet[Any]  # model instances, filtered and ordered
    rows: QuerySet[Any, tuple[Any, ...]]  # the same, as values_list tuples in column order
    total: int
    marking: str  # the TLP label of the highest marking among the rows (CLEAR if none)

    @property
    def columns(self) -> list[str]:
        return [str(column.title) for column in self.spec.columns]

    @property
    def widths(self) -> list[int]:
        return [column.width for column in self.spec.columns]

    def document(self) -> ExportDocument:
        """A one-sheet document for the writers (rows streamed from the database)."""
        title = str(self.spec.title)
        sheet = Sheet(
            self.spec.kind,
            title,
            self.columns,
            lambda: self.rows.iterator(chunk_size=2000),
            self.widths,
            [column.key for column in self.spec.columns],
        )
        return ExportDocument(
            title=title,
            marking=self.marking,
            sheets=[sheet],
            generated_at=local_datetime(timezone.now()),
        )


def list_export(
    *, kind: str, source: str, user: User, params: Params, max_marking: str | None = None
) -> ListExport:
    """List `kind` exactly as `source` ("workspace": its page, "api": the API list) shows
    it to `user` for the query string `params`, capped at `max_marking`.

    On the API an invalid filter value raises ValidationError (its list answers 400); on
    a page it is ignored, as the page ignores it.
    """
    spec = list_kind(kind)
    door = spec.source(source)
    visible = visible_rows(spec.model, user)
    filterset = door.filterset(filter_data(params), queryset=visible, user=user)
    if door.strict and filterset.is_bound and not filterset.is_valid():
        raise ValidationError(filterset.errors)
    filtered = filterset.qs
    allowed = allowed_markings(max_marking)
    if allowed is not None:
        filtered = filtered.filter(marking__in=allowed)
    # The primary key last, as the pages order, so that ties come out the same.
    return export_of(spec, filtered.order_by(*door.ordering(params), "-pk"), user)


def export_of(spec: ListKind, filtered: QuerySet[Any], user: User) -> ListExport:
    """The export of `filtered` (already filtered and ordered as its list), counted and marked."""
    present = filtered.order_by().values_list("marking", flat=True).distinct()
    return ListExport(
        spec=spec,
        filtered=filtered,
        rows=export_rows(filtered, spec.columns, user),
        total=filtered.count(),
        marking=marking_label(Marking.highest(set(present))),
    )


def copy_csv_chunks(queryset: QuerySet[Any, tuple[Any, ...]]) -> Iterator[memoryview]:
    """Stream a values_list query as CSV through PostgreSQL's COPY (psycopg 3).

    Chunks are whatever the server sends (about a row each); the caller relays them
    in large chunks. Runs lazily, so a view can return before the query starts.
    """
    connection = connections[queryset.db]
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
    ):
        yield from copy
