"""Reading a dependency file (CSV or XLSX) into rows of text, refusing what is not data.

The file is checked by its content, not its name (as attachments are): a ZIP with a
workbook inside is read as XLSX, text (UTF-8 or Shift_JIS, as e-Stat and the trade
statistics offer it) as CSV, anything else is refused. A cell holding a formula, or text
that a spreadsheet would run as one (starting with = + - @, half- or full-width), is an
error of its row: the import never stores what could run when exported again.
"""

from __future__ import annotations

import csv
import io
import secrets
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from dialogue.exports.neutralize import TRIGGERS
from dialogue.services.attachments import TEXT, XLSX, detect_kind
from dialogue.validators import validate_storable_text

# A workbook this much larger unpacked than packed is not a table of figures.
MAX_UNPACKED_RATIO = 20


@dataclass(frozen=True)
class RowError:
    """One problem, where the user can find it: the row as their spreadsheet numbers it
    (the header is row 1; 0 for the file as a whole) and the column's name."""

    row: int
    column: str
    message: str


@dataclass
class ImportOutcome:
    """What an import with a dry run found and did: errors (then nothing was saved) or
    what it plans or made, each with its `action` ("create", "update", "unchanged")."""

    dry_run: bool = True
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def saved(self) -> bool:
        return self.ok and not self.dry_run

    def planned(self) -> Sequence[Any]:
        raise NotImplementedError

    def count(self, action: str) -> int:
        return sum(1 for item in self.planned() if item.action == action)


class FileRefused(Exception):
    """The file as a whole cannot be read; nothing in it was looked at further."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class RawRow:
    number: int
    cells: dict[str, str]
    formulas: list[str]  # columns whose cell holds a formula


def is_formula_text(value: str) -> bool:
    """Text a spreadsheet would run: a trigger first, unless it is a plain number (-5)."""
    if not value or value[0] not in TRIGGERS:
        return False
    try:
        Decimal(value.strip())
    except InvalidOperation:
        return True
    return False


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        yield from csv.reader(io.StringIO(text, newline=""))
        return
    raise FileRefused(_("The CSV file is neither UTF-8 nor Shift_JIS text."))


def _xlsx_rows(data: bytes) -> Iterator[tuple[list[str], list[int]]]:
    """(texts, indexes of formula cells) per row of the first sheet."""
    import openpyxl  # type: ignore[import-untyped]  # only imports read workbooks

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_RATIO * max(len(data), settings.DEPENDENCY_IMPORT_MAX_BYTES // 10):
        raise FileRefused(_("The workbook unpacks to far more than a table of figures."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        raise FileRefused(_("The XLSX file could not be read.")) from error
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows():
            texts, formulas = [], []
            for index, cell in enumerate(row):
                if getattr(cell, "data_type", None) == "f":
                    formulas.append(index)
                texts.append(_text(getattr(cell, "value", None)))
            yield texts, formulas
    finally:
        workbook.close()


def read_rows(data: bytes, columns: dict[str, tuple[str, ...]]) -> tuple[list[str], list[RawRow]]:
    """The columns found (by their names or Japanese aliases) and the rows under the header.

    Raises FileRefused for a file that is too large, of another kind, unreadable,
    without a header, or with more rows than DEPENDENCY_IMPORT_MAX_ROWS.
    """
    limit = settings.DEPENDENCY_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise FileRefused(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    if not data:
        raise FileRefused(_("The file is empty."))
    kind = detect_kind(data)
    if kind == XLSX:
        raw: Iterator[tuple[list[str], list[int]]] = _xlsx_rows(data)
    elif kind == TEXT:
        raw = ((cells, []) for cells in _csv_rows(data))
    else:
        raise FileRefused(_("Upload a CSV or XLSX file (see the file format on this page)."))
    aliases = {alias.casefold(): key for key, names in columns.items() for alias in names}
    header: list[str | None] = []
    rows: list[RawRow] = []
    max_rows = settings.DEPENDENCY_IMPORT_MAX_ROWS
    for number, (cells, formula_indexes) in enumerate(raw, start=1):
        if not header:
            header = [aliases.get(cell.strip().casefold()) for cell in cells]
            if not any(header):
                raise FileRefused(
                    _("The first row must name the columns (e.g. sector, product, country).")
                )
            continue
        if not any(cell.strip() for cell in cells):
            continue  # blank lines between blocks are common in exported statistics
        if len(rows) >= max_rows:
            raise FileRefused(
                _("The file has more than %(count)d rows; split it into smaller files.")
                % {"count": max_rows}
            )
        values = {
            key: cell.strip() for key, cell in zip(header, cells, strict=False) if key is not None
        }
        formulas = [
            header[i] or str(i + 1) for i in formula_indexes if i < len(header) and header[i]
        ]
        rows.append(RawRow(number=number, cells=values, formulas=formulas))
    if not header:
        raise FileRefused(_("The file is empty."))
    return [key for key in header if key], rows


# --- a checked file kept between the dry run and the confirmation ----------------------

STAGING_DIR = "dependency-imports"


def staged_name(token: str) -> str | None:
    """The storage name of a staged file; None for a token that is not one of ours."""
    if not (token and len(token) <= 64 and all(c.isalnum() or c in "-_" for c in token)):
        return None
    return f"{STAGING_DIR}/{token}.dat"


def stage_upload(data: bytes) -> str:
    """Keep the file of a dry run, outside the web root, under a random name; return the
    token that names it. The caller keeps the token where only its user can read it."""
    token = secrets.token_urlsafe(24)
    default_storage.save(f"{STAGING_DIR}/{token}.dat", ContentFile(data))
    return token


def staged_upload(token: str) -> bytes | None:
    name = staged_name(token)
    if name is None or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        data: bytes = handle.read()
    return data


def discard_staged(token: str) -> None:
    name = staged_name(token)
    if name is not None:
        default_storage.delete(name)


def check_cells(
    raw: RawRow, required: tuple[str, ...], limits: dict[str, int], errors: list[RowError]
) -> None:
    """What every imported row must be, whatever it holds: no formula (a cell's or text that
    would run as one), storable text, its required columns filled, its texts within limits."""
    n, cells = raw.number, raw.cells

    def error(column: str, message: str) -> None:
        errors.append(RowError(row=n, column=column, message=message))

    for column in raw.formulas:
        error(column, _("The cell holds a formula; enter the value itself."))
    for column, value in cells.items():
        if column in raw.formulas:
            continue
        if is_formula_text(value):
            error(column, _("The value starts with = + - or @ and would run as a formula."))
            continue
        try:
            validate_storable_text(value)
        except ValidationError as refused:
            error(column, refused.messages[0])
    for column in required:
        if not cells.get(column) and column not in raw.formulas:
            error(column, _("This column is required."))
    for column, limit in limits.items():
        if len(cells.get(column, "")) > limit:
            error(column, _("At most %(limit)d characters.") % {"limit": limit})
