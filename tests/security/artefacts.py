"""Fetching derived artefacts as a role receives them, and reading them back as text and tables.

`fetch` performs one GET in its own savepoint (nothing it writes survives) and returns an
`Artefact`: the body as text (XLSX read with openpyxl, the zipped CSV sheets with the csv
module, PDF with pypdf, JSON also decoded), the sheets as rows where the file has any, and
the headers that name and mark a download.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.urls import resolve
from django.utils import translation

DOWNLOAD_HEADERS = ("Content-Disposition", "X-Marking")


@dataclass
class Artefact:
    label: str  # what it is: "GET /plans/7/changes/", "e-mail to …"
    status: int = 200
    text: str = ""
    sheets: dict[str, list[tuple]] = field(default_factory=dict)
    data: object = None  # decoded JSON
    headers: dict[str, str] = field(default_factory=dict)
    pdf_readable: bool = True

    @property
    def shown(self) -> bool:
        return 200 <= self.status < 300

    @property
    def all_text(self) -> str:
        return "\n".join([*(f"{k}: {v}" for k, v in self.headers.items()), self.text])


def url_name(url: str) -> str:
    """The URL pattern's name ("plans:plan-diff"), or for the API its route."""
    match = resolve(url.split("?", 1)[0])
    if match.route.startswith("api/v1/"):
        return match.route
    return match.view_name


def fetch(client, url: str, *, expect_routes: tuple[str, ...] = ()) -> Artefact:
    """GET `url` with `client` in a savepoint that is rolled back."""
    if expect_routes:
        assert url_name(url) in expect_routes, f"{url} is not one of {expect_routes}"
    cache.clear()  # throttles
    with translation.override(translation.get_language()), transaction.atomic():
        response = client.get(url)
        raw = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
        transaction.set_rollback(True)
    label = re.sub(r"token=[^&]+", "token=…", url)  # a feed token says nothing to a reader
    artefact = Artefact(label=f"GET {label}", status=response.status_code)
    artefact.headers = {h: response[h] for h in DOWNLOAD_HEADERS if response.has_header(h)}
    if response.status_code in (301, 302, 303):
        return artefact
    read(artefact, raw, response.get("Content-Type", ""))
    return artefact


def read(artefact: Artefact, raw: bytes, content_type: str) -> None:
    if content_type.startswith("application/vnd.openxmlformats"):
        artefact.sheets = xlsx_sheets(raw)
        artefact.text = sheets_text(artefact.sheets)
    elif content_type.startswith("application/zip"):
        artefact.sheets = zipped_csv_sheets(raw)
        artefact.text = sheets_text(artefact.sheets)
    elif content_type.startswith("text/csv"):
        artefact.sheets = {"csv": csv_rows(raw)}
        artefact.text = sheets_text(artefact.sheets)
    elif content_type.startswith("application/pdf"):
        artefact.text = pdf_text(raw)
    else:
        artefact.text = raw.decode("utf-8", errors="replace")
        if content_type.startswith("application/json") and raw:
            artefact.data = json.loads(raw)
            artefact.text += "\n" + json.dumps(artefact.data, ensure_ascii=False)


def xlsx_sheets(raw: bytes) -> dict[str, list[tuple]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        return {
            sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book
        }
    finally:
        book.close()


def csv_rows(raw: bytes) -> list[tuple]:
    return [tuple(row) for row in csv.reader(io.StringIO(raw.decode("utf-8-sig")))]


def zipped_csv_sheets(raw: bytes) -> dict[str, list[tuple]]:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {name: csv_rows(archive.read(name)) for name in archive.namelist()}


def sheets_text(sheets: dict[str, list[tuple]]) -> str:
    lines = []
    for name, rows in sheets.items():
        lines.append(f"[{name}]")
        lines += ["\t".join("" if v is None else str(v) for v in row) for row in rows]
    return "\n".join(lines)


def pdf_text(raw: bytes) -> str:
    """The text of every page, then the same without white space (PDF text extraction
    breaks words and numbers apart), so that a title or "#7301" is found either way."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(raw)).pages)
    return text + "\n" + re.sub(r"\s+", "", text)
