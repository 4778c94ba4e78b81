"""The export-job benchmarks' own checks: a job's file and its reference must hold the same
rows, or no figure is kept. (The benchmarks themselves run once on small data in
test_in_process_benchmarks.py, the job then built in-process.)"""

import datetime
import sys

import pytest

from dialogue.devtools.benchmarks.registry import BenchmarkError, RunOptions, benchmarks
from dialogue.exports.csv import iter_csv
from dialogue.exports.document import ExportDocument, Sheet
from dialogue.exports.xlsx import write_xlsx

# Through the registry: it lists the benchmarks in the order their modules are first
# imported, which other tests expect to be its own.
ExportJobCsvBenchmark = benchmarks()["export-job-csv"]
ExportJobXlsxBenchmark = benchmarks()["export-job-xlsx"]
export_jobs = sys.modules[ExportJobCsvBenchmark.__module__]
JobRun = export_jobs.JobRun
_as_csv = export_jobs._as_csv

COLUMNS = ["ID", "件名", "作成日", "説明"]
ROWS = [
    (2, "=危険な式", datetime.date(2026, 11, 26), "改行\nあり"),
    (1, "供給途絶", datetime.date(2026, 1, 5), None),
]


class _Export:
    columns = COLUMNS


def benchmark(cls):
    bench = cls(RunOptions(allow_small=True), say=lambda line: None)
    bench.export = _Export()
    bench.rows = len(ROWS)
    return bench


def write(path, chunks) -> None:
    path.write_bytes(b"".join(chunks))


def test_a_csv_job_and_copy_agree_byte_for_byte_after_the_head(tmp_path):
    # given the job's file (BOM, banner, header, rows) and COPY's rows, CRLF and LF aside
    job, copy = tmp_path / "job.csv", tmp_path / "copy.csv"
    write(job, iter_csv([("TLP:AMBER", "脅威"), tuple(COLUMNS)], []))
    rows = b'2,\'=\xe5\x8d\xb1,2026-11-26,"x\ny"\n1,a,2026-01-05,\n'
    job.write_bytes(job.read_bytes() + rows)
    copy.write_bytes(rows)
    bench = benchmark(ExportJobCsvBenchmark)

    # when the files are compared, then they agree
    bench.check_files(JobRun(seconds=1, path=job, rows=2), copy)

    # and one changed byte is caught
    copy.write_bytes(rows.replace(b"2026-01-05", b"2026-01-06"))
    with pytest.raises(BenchmarkError, match="differ"):
        bench.check_files(JobRun(seconds=1, path=job, rows=2), copy)


def test_a_csv_job_without_its_header_row_is_refused(tmp_path):
    job, copy = tmp_path / "job.csv", tmp_path / "copy.csv"
    write(job, iter_csv([("TLP:AMBER",), ("other", "columns")], []))
    copy.write_bytes(b"")
    with pytest.raises(BenchmarkError, match="header"):
        benchmark(ExportJobCsvBenchmark).check_files(JobRun(1, job, 2), copy)


def test_an_xlsx_job_and_the_in_process_csv_agree_cell_for_cell(tmp_path):
    # given the sheet a job writes and the in-process CSV of the same rows
    sheet = Sheet("threats", "脅威", COLUMNS, lambda: iter(ROWS))
    document = ExportDocument(title="脅威", marking="TLP:AMBER", sheets=[sheet])
    job, reference = tmp_path / "job.xlsx", tmp_path / "reference.csv"
    with job.open("wb") as handle:
        write_xlsx(document, handle)
    write(reference, iter_csv([("TLP",), tuple(COLUMNS)], ROWS))
    bench = benchmark(ExportJobXlsxBenchmark)

    # when compared, then every cell agrees (dates, empty cells, neutralized text)
    bench.check_files(JobRun(1, job, 2), reference)

    # and a different cell is caught
    write(reference, iter_csv([("TLP",), tuple(COLUMNS)], [ROWS[0], (1, "供給途絶", "", "")]))
    with pytest.raises(BenchmarkError, match="differ"):
        bench.check_files(JobRun(1, job, 2), reference)


def test_cells_read_back_as_the_csv_module_writes_them():
    # openpyxl reads a date cell back as a naive datetime at midnight
    midnight = datetime.datetime(2026, 11, 26)  # noqa: DTZ001
    assert _as_csv(None) == ""
    assert _as_csv(midnight) == "2026-11-26"
    assert _as_csv(midnight.replace(hour=9, minute=30)) == "2026-11-26 09:30:00"
    assert _as_csv(12) == "12"
    assert _as_csv("'=1") == "'=1"


def test_no_rows_lost_silently(tmp_path):
    # the job counted fewer rows than the list holds: refused even when the files agree
    job, copy = tmp_path / "job.csv", tmp_path / "copy.csv"
    write(job, iter_csv([("TLP:AMBER",), tuple(COLUMNS)], []))
    copy.write_bytes(b"")
    with pytest.raises(BenchmarkError):
        benchmark(ExportJobCsvBenchmark).check_files(JobRun(1, job, 0), copy)
