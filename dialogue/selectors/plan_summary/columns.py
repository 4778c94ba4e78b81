"""A sheet of the summary as one list of column specs, so its header, widths and keys
cannot drift apart, and rows as named records that pages and files read by name."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from django.utils.functional import Promise

from dialogue.exports.document import Sheet

if TYPE_CHECKING:
    from dialogue.selectors.plan_summary.document import PlanSummary

RowT = TypeVar("RowT")


@dataclass(frozen=True)
class Column(Generic[RowT]):
    """One column: its machine key, its header (translated when the sheet is built), its
    XLSX width in characters, and how its cell is read from a row (default: the row's
    attribute named `key`)."""

    key: str
    label: Promise
    width: int
    value: Callable[[RowT], Any] | None = None

    def getter(self) -> Callable[[RowT], Any]:
        return self.value or attrgetter(self.key)


class PlanSheet(Generic[RowT]):
    """One sheet of the plan-revision summary: named rows, and the columns that turn
    each into the cells every writer takes (in the columns' order)."""

    key: ClassVar[str]  # file and anchor name, e.g. "threats"
    title: ClassVar[Promise]
    columns: ClassVar[tuple[Column[Any], ...]]

    def __init__(self, summary: PlanSummary):
        self.summary = summary

    def rows(self) -> Iterable[RowT]:
        raise NotImplementedError

    def cells(self) -> Iterator[tuple[Any, ...]]:
        getters = [column.getter() for column in self.columns]
        for row in self.rows():
            yield tuple(get(row) for get in getters)

    def sheet(self) -> Sheet:
        return Sheet(
            key=self.key,
            title=str(self.title),
            columns=[str(column.label) for column in self.columns],
            rows=self.cells,
            widths=[column.width for column in self.columns],
            keys=[column.key for column in self.columns],
        )
