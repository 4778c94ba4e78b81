"""A printable A4 report (WeasyPrint) from the same document the spreadsheets get.

Japanese text needs a Japanese font. The report does not look for one on the
machine: it embeds IPAex Gothic, shipped with the app (`fonts/ipaexg.ttf`, under
the IPA Font License in `fonts/IPA_Font_License_Agreement_v1.0.txt`), through an
@font-face rule whose family name no installed font has. The same PDF therefore
comes out everywhere, and if the font cannot be loaded the export fails with
`ReportFontError` instead of silently drawing boxes.

A report is for reading: each table shows at most `max_rows` rows and says how
many more the XLSX or CSV holds. The marking is printed at the top and bottom of
every page.

Progress (for a background job) counts the rows read, every PROGRESS_EVERY rows and
after each table; the rendering that follows the last table is not counted.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from django.template.loader import render_to_string

from dialogue.exports.charts import Matrix, MatrixCell, matrix_svg
from dialogue.exports.document import PROGRESS_EVERY, ExportDocument, ProgressCallback, Sheet
from dialogue.exports.xlsx import TLP_COLORS

TEMPLATE = "dialogue/exports/report_pdf.html"
FONT_FILE = Path(__file__).resolve().parent / "fonts" / "ipaexg.ttf"
# The template's only font family: no system font has this name, so a glyph can only
# come from FONT_FILE.
FONT_FAMILY = "Dialogue Report Gothic"

# WeasyPrint logs every layout step at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class ReportFontError(RuntimeError):
    """The report's Japanese font could not be loaded: no PDF rather than one with boxes."""


class _FontFailures(logging.Handler):
    """Collects WeasyPrint's 'Font-face … cannot be loaded' warnings during one render."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "Font-face" in message:
            self.messages.append(message)


@contextmanager
def _font_failures_raise(font_file: Path):
    logger = logging.getLogger("weasyprint")
    failures = _FontFailures()
    logger.addHandler(failures)
    try:
        yield
    finally:
        logger.removeHandler(failures)
    if failures.messages:
        raise ReportFontError(
            f"the PDF report's font {font_file} could not be loaded: {'; '.join(failures.messages)}"
        )


def _check_font(font_file: Path) -> None:
    try:
        with font_file.open("rb") as fh:
            header = fh.read(4)
    except OSError as error:
        raise ReportFontError(f"the PDF report's font {font_file} is missing: {error}") from None
    if header not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        raise ReportFontError(f"the PDF report's font {font_file} is not a TrueType/OpenType file")


class _RowsRead:
    """Counts the rows read across the document's tables and reports them as progress."""

    def __init__(self, progress: ProgressCallback | None):
        self.progress = progress
        self.count = 0

    def __call__(self, rows: Iterable[tuple]) -> Iterator[tuple]:
        for row in rows:
            self.count += 1
            if self.progress is not None and self.count % PROGRESS_EVERY == 0:
                self.progress(self.count)
            yield row
        if self.progress is not None:
            self.progress(self.count)


def _table(sheet: Sheet, max_rows: int, read: _RowsRead) -> dict:
    rows = read(sheet.iter_rows())
    shown = [list(row) for row in islice(rows, max_rows)]
    more = sum(1 for _ in rows)
    return {"sheet": sheet, "rows": shown, "more": more}


def heatmap(sheet: Sheet, read: _RowsRead | None = None) -> dict:
    """Pivot the tidy sector × code rows into a matrix: sectors down, codes across."""
    sectors: dict[str, str] = {}
    codes: dict[str, str] = {}
    cells: dict[tuple[str, str], dict] = {}
    for row in read(sheet.iter_rows()) if read is not None else sheet.iter_rows():
        values = dict(zip(sheet.keys, row, strict=False))
        sectors.setdefault(values["sector"], values["sector_name"])
        codes.setdefault(values["code"], values["code_name"])
        concerns = values.get("concerns")
        # "fewer than 3" is too long for a matrix cell.
        values["concerns_short"] = (
            concerns if isinstance(concerns, int) else ("<3" if concerns else "")
        )
        cells[(values["sector"], values["code"])] = values
    return {
        "codes": [{"code": code, "name": name} for code, name in codes.items()],
        "rows": [
            {
                "sector": sector,
                "name": name,
                "cells": [cells.get((sector, code), {}) for code in codes],
            }
            for sector, name in sectors.items()
        ],
    }


def dependency_matrix(sheet: Sheet, labels: dict, font_family: str) -> str:
    """The dependency lines as the sector × supplier-country chart (SVG as a data URI): per
    product its latest year, per cell the highest share, flagged as the line says."""
    lines = [dict(zip(sheet.keys, row, strict=False)) for row in sheet.iter_rows()]
    if not lines:
        return ""
    latest: dict[tuple, int] = {}
    for line in lines:
        product = (line["sector"], line["product"], line["hs_code"], line["basis"])
        latest[product] = max(latest.get(product, 0), line["year"] or 0)
    sectors: dict[str, str] = {}
    countries: dict[str, float] = {}
    cells: dict[tuple[str, str], MatrixCell] = {}
    for line in lines:
        product = (line["sector"], line["product"], line["hs_code"], line["basis"])
        if line["year"] != latest[product] or line["share_pct"] is None:
            continue
        sectors.setdefault(line["sector"], line["sector_name"])
        country = line["country_name"]
        countries[country] = max(countries.get(country, 0.0), float(line["share_pct"]))
        cell = cells.get((line["sector"], country))
        if cell is None or (cell.share or 0) < line["share_pct"]:
            cells[(line["sector"], country)] = MatrixCell(line["share_pct"], bool(line["flag"]))
    columns = sorted(countries, key=lambda c: (-countries[c], c))[:16]
    codes = list(sectors)
    svg = matrix_svg(
        Matrix(
            title=labels.get("title", sheet.title),
            description=labels.get("description", ""),
            rows=[sectors[code] for code in codes],
            columns=columns,
            cells={
                (i, j): cells[(code, country)]
                for i, code in enumerate(codes)
                for j, country in enumerate(columns)
                if (code, country) in cells
            },
            flag_label=labels.get("flag_label", ""),
        ),
        font_family=f"'{font_family}'",
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def write_pdf(
    document: ExportDocument,
    target,
    *,
    max_rows: int = 200,
    matrix_sheets: tuple[str, ...] = ("heatmap",),
    pairs_sheets: tuple[str, ...] = ("summary",),
    chart_sheets: tuple[str, ...] = ("dependencies",),
    progress: ProgressCallback | None = None,
) -> int:
    """Render `document` to PDF at `target` (a path or binary file); return the table rows shown.

    Raises `ReportFontError` when the Japanese font cannot be loaded.
    """
    # Imported here: WeasyPrint loads Pango, which only PDF exports need.
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    font_file = FONT_FILE
    _check_font(font_file)

    sections = []
    shown = 0
    read = _RowsRead(progress)
    for sheet in document.sheets:
        if sheet.key in matrix_sheets:
            sections.append({"kind": "matrix", "sheet": sheet, "matrix": heatmap(sheet, read)})
            continue
        table = _table(sheet, max_rows, read)
        shown += len(table["rows"])
        if sheet.key in chart_sheets:
            labels = document.extra.get("charts", {}).get(sheet.key, {})
            table["chart"] = dependency_matrix(sheet, labels, FONT_FAMILY)
            table["chart_alt"] = labels.get("description", "")
        sections.append({"kind": "pairs" if sheet.key in pairs_sheets else "table", **table})
    html = render_to_string(
        TEMPLATE,
        {
            "document": document,
            "sections": sections,
            "marking_color": TLP_COLORS.get(document.marking, "#FFFFFF"),
            "max_rows": max_rows,
            "font_family": FONT_FAMILY,
            "font_url": font_file.as_uri(),
        },
    )
    with _font_failures_raise(font_file):
        HTML(string=html, base_url=None).write_pdf(target, font_config=FontConfiguration())
    return shown
