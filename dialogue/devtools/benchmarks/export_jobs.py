"""`export-job-csv` and `export-job-xlsx`: a large export as a user gets it, end to end.

What is timed on our side is what the user waits for: the export request as the
workspace view makes it (`list_export_request`: count, marking, the `ExportJob`
row, the task queued on commit), a real Celery worker (started by the benchmark
with `config.settings.bench`, solo pool, the command's database and Redis broker)
picking it up, counting again and writing the file with progress reports, the file
stored under MEDIA_ROOT, the job seen DONE by polling it as the progress page does,
and the file downloaded through the workspace's download view into a local file (the
view's checks and headers, then its file read in 1 MB blocks, not the response's
4 KB ones: a WSGI server serves it with sendfile).

The rows: the whole threat register of the bench secretariat (API source, no
filter). It holds 120,000 rows at `generate_bench_data --scale 1` and 200,040 at
`--scale 1.667`, the size the goals are set for; the label says how many were
exported.

References, on the same rows, in this process:

- export-job-csv: PostgreSQL's `COPY (the export's own SELECT) TO STDOUT WITH CSV`
  written to a file by psycopg: the database alone writing the file. The job's
  file must end with exactly the reference's bytes (its BOM, banner and header
  rows aside). Goal: ≤ 1.5x.
- export-job-xlsx: the in-process CSV of the same rows (`values_list` iterator and
  Python's csv writer) written to a file. Every cell of the job's sheet, read back
  with openpyxl, must equal the reference's CSV field. Goal: ≤ 6x.

Also judged per run: the worker's peak resident-set growth during the job
(≤ 50 MB), progress seen strictly between 0 and 100 while the job ran, and no job
left unfinished. Every job row and file the benchmark creates is deleted again.

When tasks run in-process (no broker, or the test settings) the job is run in this
process by the service the task calls; the figures are then no end-to-end figures.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from dialogue.audit import Origin
from dialogue.devtools.benchmarks.loadgen import median
from dialogue.devtools.benchmarks.registry import Benchmark, BenchmarkError, Goal, Result, register
from dialogue.devtools.benchmarks.worker import BenchWorker
from dialogue.exports.csv import iter_csv
from dialogue.models import ExportJob, User
from dialogue.selectors.exports import ListExport, list_export
from dialogue.services.export_requests import list_export_request
from dialogue.services.exports import export_job_create, export_job_run

KIND = "threats"
SOURCE = "api"
BENCH_USER = "bench-secretariat"
GOAL_ROWS = 200_000
MIN_ROWS = 100_000
MAX_CSV_RATIO = 1.5
MAX_XLSX_RATIO = 6.0
MAX_GROWTH_MB = 50.0
JOB_TIMEOUT = 1200  # seconds for one job to reach DONE
POLL_SECONDS = 0.1
# No threat has a severity above 25: a job of no rows, to warm the worker up.
EMPTY_QUERY = {"severity_min": ["99"]}
BLOCK = 1 << 20


@dataclass
class JobRun:
    seconds: float
    path: Path
    rows: int
    progress_seen: list[int] = field(default_factory=list)
    growth_mb: float = 0.0
    memory_method: str = ""
    # Where the time went: request to the worker's start, the worker's build and
    # store, the download (the rest is the request itself and polling).
    phases: dict[str, float] = field(default_factory=dict)
    path_size: int = 0


def _remove(path: Path | None) -> None:
    if path is not None:
        path.unlink(missing_ok=True)


def _temp_path(suffix: str) -> Path:
    handle, name = tempfile.mkstemp(prefix="bench-export-", suffix=suffix)
    os.close(handle)
    return Path(name)


def queued_to_a_worker() -> bool:
    """Tasks go to the broker (else they run in-process: the embedded default, the tests)."""
    return bool(settings.CELERY_BROKER_URL) and not current_app.conf.task_always_eager


class ExportJobBenchmark(Benchmark):
    format = ""
    sides: tuple[str, str] = ("job", "reference")
    default_rounds = 1

    # -- preparing ---------------------------------------------------------------
    def check(self) -> None:
        if connection.vendor != "postgresql":
            raise BenchmarkError(f"{self.name} measures PostgreSQL's COPY: set DATABASE_URL.")
        if not queued_to_a_worker() and not self.options.allow_small:
            raise BenchmarkError(
                f"{self.name} runs the job in a real Celery worker: set CELERY_BROKER_URL "
                "(make bench sets it to BENCH_BROKER_URL)."
            )
        self.user = User.objects.filter(username=BENCH_USER, is_active=True).first()
        if self.user is None:
            raise BenchmarkError(
                f"{self.name} exports as {BENCH_USER!r}, which `manage.py generate_bench_data` "
                "creates; it is missing from this database."
            )
        self.export = self.list_export()
        self.rows = self.export.total
        if self.rows < MIN_ROWS and not self.options.allow_small:
            raise BenchmarkError(
                f"{self.name} needs the bench data set: {self.rows:,} threat rows to export, "
                f"fewer than {MIN_ROWS:,} (or pass --allow-small)."
            )
        self.created: list[int] = []
        self._warmed = False

    def list_export(self) -> ListExport:
        return list_export(kind=KIND, source=SOURCE, user=self.user, params={}, max_marking=None)

    # -- our side: the job ---------------------------------------------------------
    def job(self, worker: BenchWorker | None) -> JobRun:
        """Request, worker, DONE, download: one job as the user gets it."""
        started_kb = 0
        reset = False
        if worker is not None:
            reset = worker.reset_peak()
            started_kb = worker.rss_kb()
        peak_kb = started_kb
        started = time.perf_counter()
        # A list below the job threshold (--allow-small) is still asked for as a job.
        small = self.rows <= settings.EXPORT_SYNC_MAX_ROWS
        with override_settings(EXPORT_SYNC_MAX_ROWS=0) if small else nullcontext():
            outcome = list_export_request(
                user=self.user,
                origin=Origin(ip="127.0.0.1", view="benchmark"),
                kind=KIND,
                source=SOURCE,
                params={},
                format=self.format,
                max_marking=None,
            )
        if outcome.job is None:
            if outcome.file is not None and outcome.file.handle is not None:
                outcome.file.handle.close()
            raise BenchmarkError(
                f"{self.name}: the export was not queued as a job "
                f"(EXPORT_SYNC_MAX_ROWS is {settings.EXPORT_SYNC_MAX_ROWS:,})."
            )
        seen = self.wait(outcome.job.pk, worker)
        job_id = outcome.job.pk
        downloading = time.perf_counter()
        path = self.download(job_id)
        downloaded = time.perf_counter()
        seconds = downloaded - started
        created, begun, finished = (
            ExportJob.objects.filter(pk=job_id)
            .values_list("created_at", "started_at", "finished_at")
            .get()
        )
        phases = {
            "queued_s": (begun - created).total_seconds(),
            "worker_s": (finished - begun).total_seconds(),
            "download_s": downloaded - downloading,
        }
        peak_kb = max([peak_kb, *self.polled_kb])
        if worker is not None and reset:
            peak_kb = worker.peak_kb()
        rows = ExportJob.objects.values_list("rows", flat=True).get(pk=job_id)
        return JobRun(
            seconds=seconds,
            path=path,
            rows=rows,
            progress_seen=seen,
            growth_mb=max(0, peak_kb - started_kb) / 1024,
            memory_method="VmHWM" if reset else f"VmRSS every {POLL_SECONDS} s",
            phases=phases,
            path_size=path.stat().st_size,
        )

    def wait(self, job_id: int, worker: BenchWorker | None) -> list[int]:
        """Poll the job as its progress page does until it is DONE: the progress values seen.
        Also the worker's resident set at each poll (`polled_kb`), where VmHWM cannot be reset.
        """
        self.created.append(job_id)
        if worker is None:  # no broker: the service the task calls, here
            export_job_run(job_id=job_id)
        seen: list[int] = []
        self.polled_kb: list[int] = []
        deadline = time.monotonic() + JOB_TIMEOUT
        while True:
            status, progress, error = (
                ExportJob.objects.filter(pk=job_id).values_list("status", "progress", "error").get()
            )
            if not seen or seen[-1] != progress:
                seen.append(progress)
            if worker is not None:
                self.polled_kb.append(worker.rss_kb())
            if status == ExportJob.Status.DONE:
                return seen
            if status == ExportJob.Status.FAILED:
                raise BenchmarkError(f"{self.name}: the export job failed: {error}")
            if worker is not None and not worker.alive():
                raise BenchmarkError(f"{self.name}: the worker died:\n{worker.log()[-3000:]}")
            if time.monotonic() > deadline:
                raise BenchmarkError(f"{self.name}: the export job took over {JOB_TIMEOUT} s")
            time.sleep(POLL_SECONDS)

    def warm_up(self, worker: BenchWorker | None) -> None:
        """A job of no rows: the worker's imports and connections, before measuring."""
        job = export_job_create(
            user=self.user,
            kind=KIND,
            format=self.format,
            params={"source": SOURCE, "query": EMPTY_QUERY, "max_marking": None},
        )
        self.wait(job.pk, worker)

    def download(self, job_id: int) -> Path:
        """The workspace's download view, as the requester's browser gets the file."""
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(self.user)
        path = _temp_path(f".{self.format}")
        try:
            response = client.get(reverse("plans:export-job-download", args=[job_id]))
            if response.status_code != 200:
                raise BenchmarkError(
                    f"{self.name}: the download answered {response.status_code}, not 200"
                )
            # The view answers with a FileResponse. A WSGI server hands its file to
            # wsgi.file_wrapper (sendfile); here it is read in large blocks rather than
            # the response's 4 KB ones (it reads block_size at each read).
            response.block_size = BLOCK
            with path.open("wb") as out:
                # The test client closes the response once its content is read.
                for chunk in response.streaming_content:
                    out.write(chunk)
        except BaseException:
            _remove(path)
            raise
        finally:
            client.logout()
        return path

    def delete_jobs(self) -> None:
        for job in ExportJob.objects.filter(pk__in=self.created):
            if job.file:
                job.file.delete(save=False)
            job.delete()
        self.created = []

    def unfinished(self) -> int:
        return (
            ExportJob.objects.filter(pk__in=self.created)
            .exclude(status=ExportJob.Status.DONE)
            .count()
        )

    # -- the reference -------------------------------------------------------------
    def reference(self) -> Path:
        """The reference's file (removed again if writing it fails)."""
        path = _temp_path(".csv")
        try:
            self.write_reference(path)
        except BaseException:
            _remove(path)
            raise
        return path

    def write_reference(self, path: Path) -> None:
        raise NotImplementedError

    def job_rows(self, path: Path) -> tuple[int, str]:
        """(rows, SHA-256 of the rows) of the job's downloaded file, its banner and header aside."""
        raise NotImplementedError

    def reference_rows(self, path: Path) -> tuple[int, str]:
        """The same for the reference's file."""
        raise NotImplementedError

    def check_files(self, job: JobRun, reference: Path) -> None:
        """Raise BenchmarkError unless the job's file holds the reference's rows."""
        ours, theirs = self.job_rows(job.path), self.reference_rows(reference)
        if ours != theirs or job.rows != self.rows:
            raise BenchmarkError(
                f"{self.name}: the job's file and the reference differ: {ours[0]:,} rows or "
                f"lines (sha256 {ours[1][:12]}; the job counted {job.rows:,} of {self.rows:,}) "
                f"vs {theirs[0]:,} (sha256 {theirs[1][:12]})"
            )

    def outcomes(self, server) -> dict[str, object]:
        """What each side returns, for the command's same-result check before timing: the
        rows and their SHA-256, of one job end to end and of the reference."""
        with ExitStack() as stack:
            worker = self.start(stack)
            job_run = self.job(worker)
            stack.callback(_remove, job_run.path)
            reference = self.reference()
            stack.callback(_remove, reference)
            return {"job": self.job_rows(job_run.path), "reference": self.reference_rows(reference)}

    def start(self, stack: ExitStack) -> BenchWorker | None:
        """The worker (when tasks go to a broker), and the clean-up of the jobs, on `stack`."""
        stack.enter_context(translation.override(settings.LANGUAGE_CODE))
        # Unwound in reverse: the worker stops (its current task ends) before the jobs go.
        stack.callback(self.delete_jobs)
        worker = BenchWorker() if queued_to_a_worker() else None
        if worker is not None:
            stack.enter_context(worker)
        self.warm_up(worker)
        return worker

    # -- a run -----------------------------------------------------------------------
    def run(self, server) -> Result:
        rounds = self.rounds
        jobs: list[JobRun] = []
        references: list[float] = []
        unfinished = 0
        # Which side goes first alternates across runs (`run_index`) and rounds.
        first = getattr(self, "run_index", 0)
        with ExitStack() as stack:
            worker = self.start(stack)
            if not self._warmed:  # plans and caches: once, before the first run
                self.say(f"  {self.rows:,} threat rows; warm-up: the reference once")
                _remove(self.reference())
                self._warmed = True
            for number in range(rounds):
                order = self.sides if (first + number) % 2 == 0 else self.sides[::-1]
                job_run: JobRun | None = None
                reference: Path | None = None
                try:
                    for side in order:
                        if side == "job":
                            job_run = self.job(worker)
                        else:
                            started = time.perf_counter()
                            reference = self.reference()
                            references.append(time.perf_counter() - started)
                    if job_run is None or reference is None:
                        raise BenchmarkError(f"{self.name}: a side did not run")
                    self.check_files(job_run, reference)
                finally:
                    _remove(job_run.path if job_run else None)
                    _remove(reference)
                jobs.append(job_run)
                middle = [p for p in job_run.progress_seen if 0 < p < 100]
                self.say(
                    f"  round {number + 1}/{rounds}: job {job_run.seconds:.2f} s "
                    f"({job_run.rows:,} rows, progress seen {_progress(job_run.progress_seen)}, "
                    f"worker +{job_run.growth_mb:.1f} MB), reference {references[-1]:.2f} s; "
                    f"{order[0]} first; same rows: yes"
                    f"{'' if middle else '; NO progress seen mid-run'}"
                )
            unfinished = self.unfinished()
        figures = {
            "job": {
                "seconds": median([j.seconds for j in jobs]),
                "rows": jobs[-1].rows,
                **{
                    phase: median([j.phases[phase] for j in jobs])
                    for phase in ("queued_s", "worker_s", "download_s")
                },
                "worker_growth_mb": max(j.growth_mb for j in jobs),
                "MB_out": jobs[-1].path_size / 1e6,
                "progress_reports_mid_run": min(
                    len([p for p in j.progress_seen if 0 < p < 100]) for j in jobs
                ),
            },
            "reference": {"seconds": median(references), "rows": self.rows},
        }
        return Result(
            name=self.name,
            description=self.description,
            figures=figures,
            goals=self.goals(figures, unfinished),
            notes={
                "rows": self.rows,
                "rounds": rounds,
                "progress_seen": [j.progress_seen for j in jobs],
                "memory": "peak resident-set growth of the worker during the job "
                f"({jobs[-1].memory_method})",
                "worker": "celery worker, solo pool, config.settings.bench"
                if queued_to_a_worker()
                else "none (no broker): the job ran in this process",
            },
            label=self.label.format(rows=self.rows),
        )

    def goals(self, figures: dict, unfinished: int) -> list[Goal]:
        ours = figures["job"]
        return [
            Goal(
                self.ratio_name,
                ours["seconds"] / figures["reference"]["seconds"],
                "<=",
                self.max_ratio,
                ours="job.seconds",
                reference="reference.seconds",
            ),
            Goal(
                "worker peak memory growth",
                ours["worker_growth_mb"],
                "<=",
                MAX_GROWTH_MB,
                ours="job.worker_growth_mb",
                unit="MB",
            ),
            Goal(
                "progress reports seen between 0 and 100",
                ours["progress_reports_mid_run"],
                ">=",
                1,
                ours="job.progress_reports_mid_run",
            ),
            Goal("jobs left unfinished", unfinished, "<=", 0),
        ]

    ratio_name = ""
    max_ratio = 0.0


def _progress(seen: list[int]) -> str:
    if len(seen) <= 8:
        return "→".join(str(p) for p in seen)
    return "→".join(str(p) for p in [*seen[:3], "…", *seen[-3:]])  # type: ignore[list-item]


def _blocks(path: Path, offset: int = 0) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(offset)
        while block := handle.read(BLOCK):
            yield block


@register
class ExportJobCsvBenchmark(ExportJobBenchmark):
    name = "export-job-csv"
    description = (
        "CSV export job of the threat register end to end (request, real worker, DONE, download) "
        "vs PostgreSQL's COPY of the export's own SELECT to a file, as the bench secretariat"
    )
    label = "CSV export job of {rows:,} threat rows, end to end, vs `COPY … TO` a file"
    format = "csv"
    ratio_name = "job/COPY to file time ratio"
    max_ratio = MAX_CSV_RATIO

    def write_reference(self, path: Path) -> None:
        sql, params = self.export.rows.query.sql_with_params()
        with (
            path.open("wb") as out,
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
        ):
            for data in copy:
                out.write(data)

    def job_rows(self, path: Path) -> tuple[int, str]:
        """After the BOM, the banner and the header row (one line each: our own titles)."""
        with path.open("rb") as handle:
            head = b"".join(handle.readline() for _ in range(2))
        head_rows = list(csv.reader(io.StringIO(head.decode("utf-8-sig"))))
        if len(head_rows) != 2 or head_rows[1] != self.export.columns:
            raise BenchmarkError(
                f"{self.name}: the job's file does not start with its banner and header rows"
            )
        return _digest_bytes(path, len(head))

    def reference_rows(self, path: Path) -> tuple[int, str]:
        return _digest_bytes(path, 0)


@register
class ExportJobXlsxBenchmark(ExportJobBenchmark):
    name = "export-job-xlsx"
    description = (
        "XLSX export job of the threat register end to end (request, real worker, DONE, "
        "download) vs the in-process CSV of the same rows to a file, as the bench secretariat"
    )
    label = "XLSX export job of {rows:,} threat rows, end to end, vs in-process CSV"
    format = "xlsx"
    ratio_name = "job/in-process CSV time ratio"
    max_ratio = MAX_XLSX_RATIO

    def write_reference(self, path: Path) -> None:
        head = [("TLP",), tuple(self.export.columns)]
        with path.open("wb") as out:
            for chunk in iter_csv(head, self.export.rows.iterator(chunk_size=2000)):
                out.write(chunk)

    def job_rows(self, path: Path) -> tuple[int, str]:
        """Every cell of the sheet after the banner row (the header, then the rows), read
        back with openpyxl and written as the csv module writes the value XlsxWriter got."""
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        try:
            cells = workbook.worksheets[0].iter_rows(min_row=2, values_only=True)
            return _digest_rows([_as_csv(value) for value in row] for row in cells)
        finally:
            workbook.close()

    def reference_rows(self, path: Path) -> tuple[int, str]:
        """The CSV's fields after its banner row (the header, then the rows)."""
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle)
            next(rows)
            return _digest_rows(rows)


def _digest_bytes(path: Path, offset: int) -> tuple[int, str]:
    """(line ends, SHA-256) of the file from `offset` (a text may hold line ends too)."""
    digest = hashlib.sha256()
    lines = 0
    for block in _blocks(path, offset):
        digest.update(block)
        lines += block.count(b"\n")
    return lines, digest.hexdigest()


def _digest_rows(rows: Iterable[list[str]]) -> tuple[int, str]:
    """(rows after the first, SHA-256 of every row's fields): the first row is the header."""
    digest = hashlib.sha256()
    count = -1
    for row in rows:
        digest.update(json.dumps(row, ensure_ascii=False).encode())
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


def _as_csv(value) -> str:
    """A cell as Python's csv module writes the value the export gave XlsxWriter."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()  # a date, read back as midnight
    return str(value)
