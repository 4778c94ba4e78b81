"""CSV: UTF-8 with a byte-order mark (Excel then reads Japanese correctly), RFC 4180 quoting.

`iter_csv` streams a sheet as byte chunks of at least CHUNK_BYTES, the size that
kept a relayed stream as fast as PostgreSQL's own COPY (FIELD-NOTES.md);
`write_csv_zip` writes one CSV per sheet into a zip file. Every text cell is
neutralized (neutralize.py).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from dialogue.exports.document import PROGRESS_EVERY, ExportDocument, ProgressCallback
from dialogue.exports.neutralize import neutralize

BOM = "\ufeff".encode()
CHUNK_BYTES = 256 * 1024
# CRLF as RFC 4180 says: Python's csv module then also quotes a text holding a bare CR
# (with "\n" it would not). PostgreSQL's COPY ends lines with LF and quotes the same
# fields; readers (and Excel) take both.
DIALECT: dict[str, Any] = {"lineterminator": "\r\n", "quoting": csv.QUOTE_MINIMAL}


def iter_csv(
    head: Iterable[tuple],
    rows: Iterable[tuple],
    *,
    bom: bool = True,
    progress: ProgressCallback | None = None,
) -> Iterator[bytes]:
    """The BOM, the `head` rows (banner, header), then `rows`, in chunks of ≥ CHUNK_BYTES."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, **DIALECT)
    for row in head:
        writer.writerow([neutralize(value) for value in row])
    start = buffer.getvalue().encode()
    yield (BOM + start) if bom else start
    buffer.seek(0)
    buffer.truncate()
    written = 0
    for row in rows:
        writer.writerow([neutralize(value) for value in row])
        written += 1
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written)
    if buffer.tell():
        yield buffer.getvalue().encode()
    if progress is not None:
        progress(written)


def iter_copy_csv(
    head: Iterable[tuple],
    chunks: Iterable[bytes],
    *,
    bom: bool = True,
    progress: ProgressCallback | None = None,
) -> Iterator[bytes]:
    """Relay CSV made elsewhere (PostgreSQL's COPY) after our BOM and head rows, in big chunks.

    Progress counts line ends, so a text holding newlines counts a little ahead.
    """
    yield from iter_csv(head, (), bom=bom)
    pending = bytearray()
    lines = 0
    for chunk in chunks:
        pending += chunk
        if len(pending) >= CHUNK_BYTES:
            if progress is not None:
                lines += pending.count(b"\n")
                progress(lines)
            yield bytes(pending)
            pending.clear()
    if pending:
        if progress is not None:
            progress(lines + pending.count(b"\n"))
        yield bytes(pending)


def sheet_csv_name(index: int, key: str) -> str:
    return f"{index:02d}-{key}.csv"


def write_csv_zip(
    document: ExportDocument, target, *, progress: ProgressCallback | None = None
) -> int:
    """One CSV per sheet (banner row, header row, rows) in a zip; returns the rows written."""
    total = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, sheet in enumerate(document.sheets, start=1):
            counted = _Counter(sheet.iter_rows())
            with archive.open(sheet_csv_name(index, sheet.key), "w") as member:
                for chunk in iter_csv(
                    [document.banner(sheet), tuple(sheet.columns)],
                    counted,
                ):
                    member.write(chunk)
            total += counted.count
            if progress is not None:
                progress(total)
    return total


class _Counter:
    def __init__(self, rows: Iterable):
        self.rows = iter(rows)
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self):
        row = next(self.rows)
        self.count += 1
        return row
