"""A printable A4 report (WeasyPrint) from the same document the spreadsheets get.

Japanese text needs a Japanese font on the machine: the report asks for IPAex
Gothic and Mincho (Debian's fonts-ipaexfont-gothic and fonts-ipaexfont-mincho,
installed by .ci/run); WeasyPrint embeds the glyphs it uses. Without them it
would silently draw boxes, so tests check the embedded fonts with pdffonts.

A report is for reading: each table shows at most `max_rows` rows and says how
many more the XLSX or CSV holds. The marking is printed at the top and bottom of
every page.
"""

from __future__ import annotations

import logging
from itertools import islice

from django.template.loader import render_to_string

from dialogue.exports.document import ExportDocument, Sheet
from dialogue.exports.xlsx import TLP_COLORS

TEMPLATE = "dialogue/exports/report_pdf.html"

# WeasyPrint logs every layout step at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _table(sheet: Sheet, max_rows: int) -> dict:
    rows = sheet.iter_rows()
    shown = [list(row) for row in islice(rows, max_rows)]
    more = sum(1 for _ in rows)
    return {"sheet": sheet, "rows": shown, "more": more}


def heatmap(sheet: Sheet) -> dict:
    """Pivot the tidy sector × code rows into a matrix: sectors down, codes across."""
    sectors: dict[str, str] = {}
    codes: dict[str, str] = {}
    cells: dict[tuple[str, str], dict] = {}
    for row in sheet.iter_rows():
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


def write_pdf(
    document: ExportDocument,
    target,
    *,
    max_rows: int = 200,
    matrix_sheets: tuple[str, ...] = ("heatmap",),
    pairs_sheets: tuple[str, ...] = ("summary",),
) -> int:
    """Render `document` to PDF at `target` (a path or binary file); return the table rows shown."""
    from weasyprint import HTML  # imported here: it loads Pango, which only PDF exports need

    sections = []
    shown = 0
    for sheet in document.sheets:
        if sheet.key in matrix_sheets:
            sections.append({"kind": "matrix", "sheet": sheet, "matrix": heatmap(sheet)})
            continue
        table = _table(sheet, max_rows)
        shown += len(table["rows"])
        sections.append({"kind": "pairs" if sheet.key in pairs_sheets else "table", **table})
    html = render_to_string(
        TEMPLATE,
        {
            "document": document,
            "sections": sections,
            "marking_color": TLP_COLORS.get(document.marking, "#FFFFFF"),
            "max_rows": max_rows,
        },
    )
    HTML(string=html, base_url=None).write_pdf(target)
    return shown
