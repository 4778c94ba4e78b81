"""`export-csv` and `export-xlsx`: the threat-register export at bench scale, in this process.

Goals (exports issue), at `generate_bench_data --scale 1` on PostgreSQL, as the
bench secretariat, over at most ROWS joined threat rows (threat + sector +
threat code, the export's columns):

- export-csv: the CSV export (marking query, BOM, banner, header, the rows through
  COPY, relayed in 256 KB chunks) within 1.5x of PostgreSQL's own
  `COPY (SELECT …) TO STDOUT WITH CSV` of the same rows and columns (the plain
  SELECT, without the export's labels and formula neutralization); peak memory
  growth under 50 MB.
- export-xlsx: the XLSX export (XlsxWriter, constant_memory) within 6x of the
  in-process CSV of the same rows (`values_list` iterator + Python's csv writer,
  the path every database can take); peak memory growth under 50 MB.

Sides alternate round by round; the figures are medians. Memory is the peak
resident set (VmHWM, reset before each run) less the resident set at the start
of the run. Nothing is written to the database.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable

from django.db import connection
from django.http import QueryDict

from dialogue.benchmarks.loadgen import median
from dialogue.benchmarks.registry import Benchmark, BenchmarkError, Goal, Result, register
from dialogue.exports.csv import iter_csv
from dialogue.exports.xlsx import write_xlsx
from dialogue.models import User
from dialogue.selectors.exports import ListExport, copy_csv_chunks
from dialogue.services.exports import list_csv_chunks, list_export_for

ROWS = 200_000
MIN_ROWS = 100_000
BENCH_USER = "bench-secretariat"
MAX_CSV_RATIO = 1.5
MAX_XLSX_RATIO = 6.0
MAX_GROWTH_MB = 50.0


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


def measure(work: Callable[[], int]) -> tuple[float, float, int]:
    """(seconds, peak memory growth in MB, bytes produced) of one run of `work`."""
    _reset_peak()
    start_rss = _status_kb("VmRSS")
    started = time.perf_counter()
    produced = work()
    seconds = time.perf_counter() - started
    growth = max(0, _status_kb("VmHWM") - start_rss) / 1024
    return seconds, growth, produced


class ExportBenchmark(Benchmark):
    sides: tuple[str, ...] = ()

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
        self.rows = self.export.count()
        if self.rows < MIN_ROWS and not self.options.allow_small:
            raise BenchmarkError(
                f"{self.name} needs the bench data set: {self.rows:,} threat rows to export, "
                f"fewer than {MIN_ROWS:,} (or pass --allow-small)."
            )

    def _export(self) -> ListExport:
        export = list_export_for(
            kind="threats", user=self.user, source="api", query=QueryDict(""), max_marking=None
        )
        # The newest ROWS rows of the list (ordered by -id): a filter, not a slice, so that
        # the export's own queries (count, marking) run unchanged on the same rows.
        ids = export.filtered.values_list("pk", flat=True)
        cutoff = ids[ROWS - 1 : ROWS].first() if export.filtered.count() > ROWS else None
        if cutoff is not None:
            export.filtered = export.filtered.filter(pk__gte=cutoff)
            export.rows = export.spec.select(export.filtered, self.user)
        return export

    # -- the sides ---------------------------------------------------------------
    def copy_raw(self) -> int:
        plain = self.export.filtered.values_list(
            "pk",
            "title",
            "sector__code",
            "sector__name_ja",
            "category__code",
            "category__name_ja",
            "likelihood",
            "impact",
            "severity",
            "status",
            "marking",
            "created_at",
            "updated_at",
            "description",
        )
        return sum(len(chunk) for chunk in copy_csv_chunks(plain))

    def export_csv(self) -> int:
        marking = self.export.marking()
        return sum(len(chunk) for chunk in list_csv_chunks(self.export, marking=marking))

    def python_csv(self) -> int:
        head = [("TLP:AMBER",), tuple(self.export.columns)]
        rows = self.export.rows.iterator(chunk_size=2000)
        return sum(len(chunk) for chunk in iter_csv(head, rows))

    def xlsx(self) -> int:
        with tempfile.TemporaryFile() as handle:
            write_xlsx(self.export.document(), handle)
            return handle.tell()

    def run(self, server) -> Result:
        rounds = max(1, min(self.options.rounds, 5))
        self.say(f"  {self.rows:,} threat rows; {rounds} rounds")
        for side in self.sides:  # warm-up: caches, plans, imports
            getattr(self, side)()
        runs: dict[str, list[tuple[float, float, int]]] = {side: [] for side in self.sides}
        for number in range(rounds):
            order = self.sides if number % 2 == 0 else tuple(reversed(self.sides))
            with connection.cursor():  # one connection for the whole round
                for side in order:
                    runs[side].append(measure(getattr(self, side)))
            self.say(
                f"  round {number + 1}/{rounds}: "
                + ", ".join(f"{side} {runs[side][-1][0]:.2f} s" for side in self.sides)
            )
        figures = {
            side: {
                "seconds": median([run[0] for run in values]),
                "peak_mb": max(run[1] for run in values),
                "MB_out": values[-1][2] / 1_000_000,
                "rows": self.rows,
            }
            for side, values in runs.items()
        }
        return Result(
            name=self.name,
            description=self.description,
            figures=figures,
            goals=self.goals(figures),
            notes={"rows": self.rows, "rounds": rounds},
        )

    def goals(self, figures: dict) -> list[Goal]:
        raise NotImplementedError


@register
class ExportCsvBenchmark(ExportBenchmark):
    name = "export-csv"
    description = (
        "CSV export of the threat register (200,000 joined rows at most) vs PostgreSQL's own "
        "COPY of the same rows, as the bench secretariat"
    )
    sides = ("export_csv", "copy_raw")

    def goals(self, figures: dict) -> list[Goal]:
        ratio = figures["export_csv"]["seconds"] / figures["copy_raw"]["seconds"]
        return [
            Goal("csv/copy time ratio", ratio, "<=", MAX_CSV_RATIO),
            Goal(
                "csv peak memory growth MB", figures["export_csv"]["peak_mb"], "<=", MAX_GROWTH_MB
            ),
        ]


@register
class ExportXlsxBenchmark(ExportBenchmark):
    name = "export-xlsx"
    description = (
        "XLSX export of the threat register (200,000 joined rows at most) vs the in-process "
        "CSV (values_list + csv.writer) of the same rows"
    )
    sides = ("xlsx", "python_csv")

    def goals(self, figures: dict) -> list[Goal]:
        ratio = figures["xlsx"]["seconds"] / figures["python_csv"]["seconds"]
        return [
            Goal("xlsx/in-process csv time ratio", ratio, "<=", MAX_XLSX_RATIO),
            Goal("xlsx peak memory growth MB", figures["xlsx"]["peak_mb"], "<=", MAX_GROWTH_MB),
        ]
