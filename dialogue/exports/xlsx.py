"""XLSX with XlsxWriter in constant_memory mode: rows go to disk as they come, memory stays flat.

Each sheet: the banner row (marking first, on a black band as TLP 2.0 shows labels),
the header row (frozen, with an autofilter), then the rows. The marking is also
in the printed header and footer of every page. Text is written as text only
(no formula, number or URL guessing) and neutralized anyway, so a copy pasted or
re-saved as CSV stays harmless.
"""

from __future__ import annotations

import re

import xlsxwriter

from dialogue.exports.document import PROGRESS_EVERY, ExportDocument, ProgressCallback
from dialogue.exports.neutralize import neutralize

DEFAULT_WIDTH = 14
MAX_ROWS = 1_048_575  # Excel's limit, less the banner and header rows
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = _BAD_SHEET_CHARS.sub(" ", title).strip()[:31] or "Sheet"
    candidate, number = name, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate = name[: 31 - len(suffix)] + suffix
        number += 1
    used.add(candidate.lower())
    return candidate


def _header_text(marking: str) -> str:
    # "&" starts a control code in Excel headers.
    return "&C&B" + marking.replace("&", "&&")


def write_xlsx(
    document: ExportDocument, target, *, progress: ProgressCallback | None = None
) -> int:
    """Write `document` to `target` (a path or a binary file); return the rows written."""
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    workbook.set_properties({"title": document.title, "keywords": document.marking})
    marking_format = workbook.add_format(
        {"bold": True, "font_color": _marking_color(document.marking), "bg_color": "#000000"}
    )
    banner_format = workbook.add_format({"bold": True})
    header_format = workbook.add_format(
        {"bold": True, "bg_color": "#E7ECF3", "bottom": 1, "text_wrap": True, "valign": "top"}
    )
    total = 0
    used: set[str] = set()
    for sheet in document.sheets:
        worksheet = workbook.add_worksheet(sheet_name(sheet.title, used))
        for index in range(len(sheet.columns)):
            width = sheet.widths[index] if index < len(sheet.widths) else DEFAULT_WIDTH
            worksheet.set_column(index, index, width)
        worksheet.set_header(_header_text(document.marking))
        worksheet.set_footer(_header_text(document.marking) + "&R&P / &N")
        worksheet.set_paper(9)  # A4
        worksheet.set_landscape()
        worksheet.fit_to_pages(1, 0)
        worksheet.repeat_rows(1)
        banner = document.banner(sheet)
        worksheet.write_string(0, 0, banner[0], marking_format)
        for column, value in enumerate(banner[1:], start=1):
            worksheet.write_string(0, column, neutralize(str(value)), banner_format)
        worksheet.write_row(1, 0, [neutralize(title) for title in sheet.columns], header_format)
        worksheet.freeze_panes(2, 0)
        row_number = 1
        for row in sheet.iter_rows():
            row_number += 1
            if row_number > MAX_ROWS:
                raise ValueError(f"sheet {sheet.key!r} has more rows than Excel allows")
            worksheet.write_row(row_number, 0, [neutralize(value) for value in row])
            total += 1
            if progress is not None and total % PROGRESS_EVERY == 0:
                progress(total)
        if sheet.columns:
            worksheet.autofilter(1, 0, max(row_number, 1), len(sheet.columns) - 1)
    workbook.close()
    if progress is not None:
        progress(total)
    return total


# TLP 2.0: the label in its colour on a black background.
TLP_COLORS = {
    "TLP:CLEAR": "#FFFFFF",
    "TLP:GREEN": "#33FF00",
    "TLP:AMBER": "#FFC000",
    "TLP:AMBER+STRICT": "#FFC000",
    "TLP:RED": "#FF2B2B",
}


def _marking_color(marking: str) -> str:
    return TLP_COLORS.get(marking, "#FFFFFF")
