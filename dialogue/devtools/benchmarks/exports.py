"""`export-csv` and `export-xlsx`: the threat-register export at bench scale, in this process.

Goals (exports issue), at `generate_bench_data --scale 1` on PostgreSQL, as the
bench secretariat, over the newest ROWS (100,000) joined threat rows of the
register it may export (threat + sector + threat code, the export's columns; at
scale 1 the register has 120,000):

- export-csv: the CSV export (marking query, BOM, banner, header, the rows through
  COPY, relayed in 256 KB chunks) within 1.5x of PostgreSQL's own
  `COPY (SELECT …) TO STDOUT WITH CSV` of the same SQL (the export's own query,
  with its labels), after the same BOM, banner and header written once; peak
  memory growth under 50 MB.
- export-xlsx: the XLSX export (XlsxWriter, constant_memory) within 6x of the
  in-process CSV of the same rows (`values_list` iterator + Python's csv writer,
  the path every database can take, with the same banner and header); peak
  memory growth under 50 MB.

Same result: before the first run each side runs once (this is also the
warm-up), and the outputs must agree. The two CSVs must be the same bytes, line
by line (compared by hash, so 100,000 rows are not held twice; the first
differing line is named), except the banner's time of generation. The XLSX
must hold the same cell values as the in-process CSV: every row at small
scale, the first SAMPLE_ROWS rows and the row count at bench scale (read back
with openpyxl; numbers and dates written as the CSV writes them).

Each run measures both sides once by default (`default_rounds`; the XLSX takes
tens of seconds); the times reported are medians over the runs, and which side
goes first alternates across runs. Nothing is written to the database.

Memory is measured once, after the runs, in a fresh Python process
(`python -m dialogue.devtools.benchmarks.memprobe`): the peak resident set during one
export less the resident set just before it (Linux: VmHWM, reset before the
export). A fresh process, because in this one earlier runs have already grown
the heap, and an export that reuses that memory would show no growth.
"""

from __future__ import annotations

import csv
import datetime
import gc
import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from dialogue.devtools.benchmarks.loadgen import median
from dialogue.devtools.benchmarks.registry import Benchmark, BenchmarkError, Goal, Result, register
from dialogue.exports.csv import iter_csv
from dialogue.exports.xlsx import write_xlsx
from dialogue.models import User
from dialogue.selectors.exports import ListExport, copy_csv_chunks, export_of, list_export
from dialogue.services.exports import list_csv_chunks

ROWS = 100_000
MIN_ROWS = 100_000
BENCH_USER = "bench-secretariat"
MAX_CSV_RATIO = 1.5
MAX_XLSX_RATIO = 6.0
MAX_GROWTH_MB = 50.0
MEMORY_PROBE_TIMEOUT = 900  # seconds, for one export in the fresh process
SAMPLE_ROWS = 2_000  # XLSX rows compared cell by cell at bench scale
FULL_READ_ROWS = 5_000  # up to this many rows, every XLSX row is compared


@dataclass(frozen=True)
class Line:
    """One line of a CSV output: equal when the bytes are (by hash); shown by its start."""

    digest: bytes
    preview: str = field(compare=False)

    def __repr__(self) -> str:
        return repr(self.preview)


def csv_lines(chunks: Iterable[bytes], *, banner: bool = True) -> list[Line]:
    """The output's lines as `Line`s; the banner's last field (when generated) is left out."""
    lines: list[Line] = []
    pending = b""
    for chunk in chunks:
        pending += bytes(chunk)
        *complete, pending = pending.split(b"\n")
        for raw in complete:
            lines.append(_line(raw, first=banner and not lines))
    if pending:
        lines.append(_line(pending, first=banner and not lines))
    return lines


def _line(raw: bytes, *, first: bool) -> Line:
    if first:
        raw = raw.rsplit(b",", 1)[0]
    return Line(hashlib.blake2b(raw, digest_size=16).digest(), raw[:80].decode(errors="replace"))


def _cell_text(value: object) -> str:
    """An XLSX cell as the CSV writer writes the value it came from."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return str(value)
    return str(value)


def xlsx_rows(path: str, limit: int | None) -> tuple[list[list[str]], int]:
    """The first `limit` rows (all when None) of the first sheet as text, and the row count."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            if limit is not None and len(rows) >= limit:
                break
            rows.append([_cell_text(value) for value in values])
        count = sheet.max_row if limit is not None else len(rows)
    finally:
        workbook.close()
    return _without_generation_time(rows), count


def csv_rows(chunks: Iterable[bytes], limit: int | None) -> tuple[list[list[str]], int]:
    """The first `limit` rows (all when None) of a CSV output, and its row count."""
    with tempfile.TemporaryFile() as handle:
        for chunk in chunks:
            handle.write(chunk)
        handle.seek(0)
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        rows: list[list[str]] = []
        count = 0
        for row in csv.reader(text):
            count += 1
            if limit is None or len(rows) < limit:
                rows.append(row)
        text.detach()
    return _without_generation_time(rows), count


def _without_generation_time(rows: list[list[str]]) -> list[list[str]]:
    """Rows without trailing empty cells (a sheet pads rows to its widest), and the
    banner (the first row) without its last cell, the time it was generated."""
    trimmed = []
    for row in rows:
        end = len(row)
        while end and row[end - 1] == "":
            end -= 1
        trimmed.append(row[:end])
    if trimmed:
        trimmed[0] = trimmed[0][:-1]
    return trimmed


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")  # resets VmHWM to the current resident set
    except OSError:
        return False
    return True


def measure(work: Callable[[], int]) -> tuple[float, int]:
    """(seconds, bytes produced) of one run of `work`."""
    started = time.perf_counter()
    produced = work()
    return time.perf_counter() - started, produced


def peak_growth(work: Callable[[], int]) -> dict:
    """Peak resident-set growth of one run of `work`, in this process.

    Meant for a fresh process (see memprobe.py): VmHWM is reset to the current
    resident set first where Linux allows it; elsewhere the peak is ru_maxrss,
    which also counts any earlier peak of the process (an upper bound).
    """
    gc.collect()
    reset = _reset_peak()
    start_kb = _status_kb("VmRSS")
    seconds, produced = measure(work)
    if reset:
        peak_kb, method = _status_kb("VmHWM"), "VmHWM"
    else:
        # kilobytes on Linux, bytes on macOS
        scale = 1024 if sys.platform == "darwin" else 1
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // scale
        method = "ru_maxrss"
    return {
        "peak_mb": max(0, peak_kb - start_kb) / 1024,
        "start_mb": start_kb / 1024,
        "method": method,
        "seconds": seconds,
        "bytes": produced,
    }


class ExportBenchmark(Benchmark):
    sides: tuple[str, ...] = ()  # (ours, reference)
    default_rounds = 1
    _warmed = False

    def check(self) -> None:
        if connection.vendor != "postgresql":
            raise BenchmarkError(f"{self.name} measures PostgreSQL's COPY: set DATABASE_URL.")
        self.user = User.objects.filter(username=BENCH_USER, is_active=True).first()
        if self.user is None:
            raise BenchmarkError(
                f"{self.name} exports as {BENCH_USER!r}, which `manage.py generate_bench_data` "
                "creates; it is missing from this database."
            )
        self.export = self._export()
        self.rows = self.export.total
        if self.rows < MIN_ROWS and not self.options.allow_small:
            raise BenchmarkError(
                f"{self.name} needs the bench data set: {self.rows:,} threat rows to export, "
                f"fewer than {MIN_ROWS:,} (or pass --allow-small)."
            )

    def _export(self) -> ListExport:
        export = list_export(
            kind="threats", source="api", user=self.user, params={}, max_marking=None
        )
        # The newest ROWS rows of the list (ordered by -id): a filter, not a slice, so that
        # the export's own queries (count, marking) run unchanged on the same rows.
        ids = export.filtered.values_list("pk", flat=True)
        cutoff = ids[ROWS - 1 : ROWS].first() if export.total > ROWS else None
        if cutoff is not None:
            export = export_of(export.spec, export.filtered.filter(pk__gte=cutoff), self.user)
        return export

    # -- the sides ---------------------------------------------------------------
    def _head(self) -> list[tuple]:
        document = self.export.document()
        return [document.banner(document.sheets[0]), tuple(self.export.columns)]

    def copy_raw_chunks(self) -> Iterator[bytes]:
        """The head (BOM, banner, header), then PostgreSQL's COPY of the export's own SQL."""
        yield b"".join(iter_csv(self._head(), ()))
        yield from copy_csv_chunks(self.export.rows)

    def copy_raw(self) -> int:
        return sum(len(chunk) for chunk in self.copy_raw_chunks())

    def export_csv(self) -> int:
        return sum(len(chunk) for chunk in list_csv_chunks(self.export))

    def python_csv_chunks(self) -> Iterator[bytes]:
        rows = self.export.rows.iterator(chunk_size=2000)
        return iter_csv(self._head(), rows)

    def python_csv(self) -> int:
        return sum(len(chunk) for chunk in self.python_csv_chunks())

    def xlsx(self) -> int:
        with tempfile.TemporaryFile() as handle:
            write_xlsx(self.export.document(), handle)
            return handle.tell()

    def run(self, server) -> Result:
        rounds = self.rounds
        if not self._warmed:  # caches, plans, imports: once, before the first run
            self.say(f"  {self.rows:,} threat rows; warm-up: each side once")
            for side in self.sides:
                getattr(self, side)()
            self._warmed = True
        runs: dict[str, list[tuple[float, int]]] = {side: [] for side in self.sides}
        for number in range(rounds):
            order = self.sides if (number + self.run_index) % 2 == 0 else self.sides[::-1]
            with connection.cursor():  # one connection for the whole round
                for side in order:
                    runs[side].append(measure(getattr(self, side)))
            self.say(
                f"  round {number + 1}/{rounds} ({' → '.join(order)}): "
                + ", ".join(f"{side} {runs[side][-1][0]:.2f} s" for side in self.sides)
            )
        figures = {
            side: {
                "seconds": median([run[0] for run in values]),
                "MB_out": values[-1][1] / 1_000_000,
                "rows": self.rows,
            }
            for side, values in runs.items()
        }
        return Result(
            name=self.name,
            description=self.description,
            figures=figures,
            goals=self.goals(figures),
            notes={
                "rows": self.rows,
                "rounds": rounds,
                "first_side_per_round": [
                    (self.sides if (n + self.run_index) % 2 == 0 else self.sides[::-1])[0]
                    for n in range(rounds)
                ],
            },
            label=self.label.format(rows=self.rows),
        )

    def finish(self, result: Result) -> Result:
        """Peak memory of our side: one export in a fresh process (see the module docstring)."""
        ours = self.sides[0]
        self.say(f"  peak memory: one {ours} export in a fresh process …")
        probe = self.memory_probe(ours)
        result.figures[ours]["peak_mb"] = probe["peak_mb"]
        result.goals.append(
            Goal(
                f"{ours} peak memory growth",
                probe["peak_mb"],
                "<=",
                MAX_GROWTH_MB,
                ours=f"{ours}.peak_mb",
                unit="MB",
            )
        )
        result.notes["memory"] = {
            "measured": "peak resident-set growth of one export in a fresh process",
            **probe,
        }
        return result

    def memory_probe(self, side: str) -> dict:
        command = [sys.executable, "-m", "dialogue.devtools.benchmarks.memprobe", self.name, side]
        environment = dict(os.environ, DJANGO_SETTINGS_MODULE=settings.SETTINGS_MODULE)
        try:
            completed = subprocess.run(  # noqa: S603 (fixed command, no shell)
                command,
                cwd=settings.BASE_DIR,
                env=environment,
                capture_output=True,
                text=True,
                timeout=MEMORY_PROBE_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise BenchmarkError(
                f"the memory probe of {side} took longer than {MEMORY_PROBE_TIMEOUT} s"
            ) from exc
        lines = completed.stdout.strip().splitlines()
        if completed.returncode != 0 or not lines:
            raise BenchmarkError(
                f"the memory probe of {side} failed (exit status {completed.returncode}):\n"
                + completed.stderr[-3000:]
            )
        return json.loads(lines[-1])

    def goals(self, figures: dict) -> list[Goal]:
        raise NotImplementedError


@register
class ExportCsvBenchmark(ExportBenchmark):
    name = "export-csv"
    description = (
        "CSV export of the threat register (the newest 100,000 joined rows) vs PostgreSQL's own "
        "COPY of the same rows, as the bench secretariat"
    )
    label = "CSV export of {rows:,} threat rows vs PostgreSQL `COPY`"
    sides = ("export_csv", "copy_raw")

    def outcomes(self, server=None) -> dict[str, object]:
        """Both CSVs, line by line (the banner without its time); also the warm-up."""
        ours = csv_lines(list_csv_chunks(self.export))
        reference = csv_lines(self.copy_raw_chunks())
        self._warmed = True
        return {"export_csv": ours, "copy_raw": reference}

    def goals(self, figures: dict) -> list[Goal]:
        ratio = figures["export_csv"]["seconds"] / figures["copy_raw"]["seconds"]
        return [
            Goal(
                "csv/copy time ratio",
                ratio,
                "<=",
                MAX_CSV_RATIO,
                ours="export_csv.seconds",
                reference="copy_raw.seconds",
            )
        ]


@register
class ExportXlsxBenchmark(ExportBenchmark):
    name = "export-xlsx"
    description = (
        "XLSX export of the threat register (the newest 100,000 joined rows) vs the in-process "
        "CSV (values_list + csv.writer) of the same rows"
    )
    label = "XLSX export of {rows:,} threat rows vs in-process CSV"
    sides = ("xlsx", "python_csv")

    def outcomes(self, server=None) -> dict[str, object]:
        """The XLSX's cell values against the in-process CSV's; also the warm-up."""
        limit = None if self.rows <= FULL_READ_ROWS else SAMPLE_ROWS
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            write_xlsx(self.export.document(), handle)
            handle.flush()
            ours = xlsx_rows(handle.name, limit)
        reference = csv_rows(self.python_csv_chunks(), limit)
        self._warmed = True
        return {"xlsx": ours, "python_csv": reference}

    def goals(self, figures: dict) -> list[Goal]:
        ratio = figures["xlsx"]["seconds"] / figures["python_csv"]["seconds"]
        return [
            Goal(
                "xlsx/in-process csv time ratio",
                ratio,
                "<=",
                MAX_XLSX_RATIO,
                ours="xlsx.seconds",
                reference="python_csv.seconds",
            )
        ]
