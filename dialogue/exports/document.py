"""What every writer takes: a document of sheets, each a header and lazily produced rows.

Rows are tuples of plain values (str, int, float, Decimal, date, datetime or None),
produced on demand, so writers can stream them and memory stays flat.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field


@dataclass
class Sheet:
    key: str  # file and anchor name: ascii, e.g. "threats"
    title: str  # shown to people (sheet tab, PDF heading)
    columns: list[str]
    rows: Callable[[], Iterable[tuple]]
    # Column widths for XLSX (characters); missing ones get a default.
    widths: list[int] = field(default_factory=list)
    # Machine names of the columns, for writers that place values themselves (the PDF).
    keys: list[str] = field(default_factory=list)

    def iter_rows(self) -> Iterator[tuple]:
        return iter(self.rows())


@dataclass
class ExportDocument:
    title: str
    marking: str  # the TLP label of the highest marking inside, e.g. "TLP:AMBER"
    sheets: list[Sheet]
    generated_at: str = ""
    # Extra structure for the PDF (heat map …); spreadsheet writers ignore it.
    extra: dict = field(default_factory=dict)

    def banner(self, sheet: Sheet) -> tuple:
        """The first row of every sheet and CSV file: the marking, then what this is."""
        return (self.marking, self.title, sheet.title, self.generated_at)


ProgressCallback = Callable[[int], None]

PROGRESS_EVERY = 5000
