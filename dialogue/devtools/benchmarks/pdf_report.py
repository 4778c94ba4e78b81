"""`pdf-report`: the plan revision's printable report, beside the XLSX of the same revision.

The PDF goes through the plan export service as the workspace's export view calls
it (`plan_export_write`, format "pdf", as the bench secretariat): the revision's
summary document, at most EXPORT_PDF_MAX_ROWS rows per table, rendered by
WeasyPrint with the embedded Japanese font. Beside it, the XLSX of the same
revision (every line of it), through the same service.

The bench data holds no plan revision: the benchmark takes the newest one when
there is one; otherwise, in a transaction that is rolled back at the end of each
run, it starts one (`plan_revision_start`, the snapshot of every threat,
chokepoint, action and concern count in scope: some 220,000 lines at scale 1).
The snapshot is not timed.

Both files are checked before a figure is kept: the XLSX holds every row of every
sheet of the revision's summary for this reader; the PDF opens (pypdf), shows the
first EXPORT_PDF_MAX_ROWS rows of each table (the heat map as a matrix), and every
page carries the document's marking. No statement renders a PDF, so there is no reference to
hold it to: the PDF's time and size are reported beside the XLSX's, and the one
judged goal is that the report costs no more than the XLSX of the same revision.
"""

from __future__ import annotations

import io
import tempfile
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation

from dialogue.devtools.benchmarks.loadgen import median
from dialogue.devtools.benchmarks.registry import Benchmark, BenchmarkError, Goal, Result, register
from dialogue.models import PlanRevision, User
from dialogue.selectors.exports import plan_revision_summary
from dialogue.services.exports import plan_export_size, plan_export_write
from dialogue.services.plans import plan_revision_start

BENCH_USER = "bench-secretariat"
MAX_PDF_RATIO = 1.0


class _Rollback(Exception):
    pass


@register
class PdfReportBenchmark(Benchmark):
    name = "pdf-report"
    description = (
        "plan-revision PDF report (WeasyPrint, at most EXPORT_PDF_MAX_ROWS rows a table) vs "
        "the XLSX of the same revision, through the plan export service, as the bench "
        "secretariat"
    )
    label = "plan-revision PDF report vs the XLSX of the same revision ({items:,} lines)"
    default_rounds = 1
    sides = ("pdf", "xlsx")

    def check(self) -> None:
        if connection.vendor != "postgresql":
            raise BenchmarkError(f"{self.name} is set for PostgreSQL: set DATABASE_URL.")
        self.user = User.objects.filter(username=BENCH_USER, is_active=True).first()
        if self.user is None:
            raise BenchmarkError(
                f"{self.name} exports as {BENCH_USER!r}, which `manage.py generate_bench_data` "
                "creates; it is missing from this database."
            )
        self.items = 0

    def write(self, revision: PlanRevision, format: str) -> tuple[float, bytes, int]:
        """(seconds, the file, rows written) of one export through the service."""
        with tempfile.TemporaryFile() as target:
            started = time.perf_counter()
            built = plan_export_write(
                revision=revision, user=self.user, format=format, max_marking=None, target=target
            )
            seconds = time.perf_counter() - started
            target.seek(0)
            return seconds, target.read(), built.rows

    def outcomes(self, server) -> dict[str, object]:
        """The same report in both files, read back from each: the marking every page or
        sheet carries, and how many table rows the PDF shows (at most EXPORT_PDF_MAX_ROWS
        of each table; the heat map is a matrix) — for the XLSX, counted from its sheets."""
        from openpyxl import load_workbook

        try:
            with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
                revision = PlanRevision.objects.order_by("-number").first() or (
                    plan_revision_start(actor=self.user, notes="benchmark")
                )
                document = plan_revision_summary(
                    revision=revision, user=self.user, max_marking=None
                )
                _, pdf, pdf_rows = self.write(revision, "pdf")
                _, xlsx, _ = self.write(revision, "xlsx")
                raise _Rollback
        except _Rollback:
            pass
        from pypdf import PdfReader

        pages = PdfReader(io.BytesIO(pdf)).pages
        pdf_marking = {
            document.marking for page in pages if document.marking in (page.extract_text() or "")
        }
        book = load_workbook(io.BytesIO(xlsx), read_only=True)
        xlsx_marking = {
            document.marking
            for sheet in book.worksheets
            if document.marking in str(sheet["A1"].value)
        }
        header_rows = 2  # the marking banner, then the column headers
        shown = sum(
            min(max(sheet.max_row - header_rows, 0), settings.EXPORT_PDF_MAX_ROWS)
            for spec, sheet in zip(document.sheets, book.worksheets, strict=True)
            if spec.key != "heatmap"
        )
        return {
            "ours": (sorted(pdf_marking), len(pages) > 0, pdf_rows),
            "reference": (sorted(xlsx_marking), len(book.worksheets) > 0, shown),
        }

    def run(self, server) -> Result:
        try:
            with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
                result = self._run()
                raise _Rollback
        except _Rollback:
            pass
        return result

    def _run(self) -> Result:
        revision = PlanRevision.objects.order_by("-number").first()
        started = "existing"
        if revision is None:
            self.say("  no plan revision: starting one (rolled back after the run) …")
            revision = plan_revision_start(actor=self.user, notes="benchmark")
            started = "started for the run, rolled back"
        self.items = plan_export_size(revision=revision, user=self.user, max_marking=None)
        # What each file must hold: every row of every sheet in the XLSX; at most
        # EXPORT_PDF_MAX_ROWS rows of each table in the PDF (the heat map is a matrix).
        document = plan_revision_summary(revision=revision, user=self.user, max_marking=None)
        self.marking = document.marking
        sheet_rows = {sheet.key: sum(1 for _ in sheet.iter_rows()) for sheet in document.sheets}
        self.xlsx_rows = sum(sheet_rows.values())
        self.pdf_rows = sum(
            min(rows, settings.EXPORT_PDF_MAX_ROWS)
            for key, rows in sheet_rows.items()
            if key != "heatmap"
        )
        times: dict[str, list[float]] = {side: [] for side in self.sides}
        sizes: dict[str, int] = {}
        pages = 0
        for number in range(self.rounds):
            order = self.sides if number % 2 == 0 else tuple(reversed(self.sides))
            for side in order:
                seconds, data, rows = self.write(revision, side)
                if side == "pdf":
                    pages = self.check_pdf(revision, data, rows)
                else:
                    self.check_xlsx(data, rows)
                times[side].append(seconds)
                sizes[side] = len(data)
            self.say(
                f"  round {number + 1}/{self.rounds}: pdf {times['pdf'][-1]:.2f} s "
                f"({sizes['pdf'] / 1e6:.2f} MB, {pages} pages), xlsx {times['xlsx'][-1]:.2f} s "
                f"({sizes['xlsx'] / 1e6:.2f} MB); both checked"
            )
        figures = {
            "pdf": {"seconds": median(times["pdf"]), "MB_out": sizes["pdf"] / 1e6, "pages": pages},
            "xlsx": {
                "seconds": median(times["xlsx"]),
                "MB_out": sizes["xlsx"] / 1e6,
                "rows": self.items,
            },
        }
        ratio = figures["pdf"]["seconds"] / figures["xlsx"]["seconds"]
        return Result(
            name=self.name,
            description=self.description,
            figures=figures,
            goals=[
                Goal(
                    "pdf time / xlsx time",
                    ratio,
                    "<=",
                    MAX_PDF_RATIO,
                    ours="pdf.seconds",
                    reference="xlsx.seconds",
                ),
                Goal("pdf size", figures["pdf"]["MB_out"], "", 0, ours="pdf.MB_out", unit="MB"),
            ],
            notes={
                "revision": revision.label,
                "revision_source": started,
                "lines": self.items,
                "pdf_max_rows": settings.EXPORT_PDF_MAX_ROWS,
                "rounds": self.rounds,
            },
            label=self.label.format(items=self.items),
        )

    def check_xlsx(self, data: bytes, rows: int) -> None:
        if rows != self.xlsx_rows or not data.startswith(b"PK"):
            raise BenchmarkError(
                f"{self.name}: the XLSX holds {rows:,} rows, not the document's {self.xlsx_rows:,}"
            )

    def check_pdf(self, revision: PlanRevision, data: bytes, rows: int) -> int:
        """The report opens, shows the rows it should and carries the marking on every page;
        returns its page count."""
        from pypdf import PdfReader

        if not data.startswith(b"%PDF-"):
            raise BenchmarkError(f"{self.name}: the report is not a PDF")
        reader = PdfReader(io.BytesIO(data))
        unmarked = [
            number
            for number, page in enumerate(reader.pages, start=1)
            if self.marking not in (page.extract_text() or "")
        ]
        if not reader.pages or unmarked or rows != self.pdf_rows:
            raise BenchmarkError(
                f"{self.name}: the report has {len(reader.pages)} pages, {len(unmarked)} without "
                f"the marking {self.marking}, and shows {rows:,} table rows, not {self.pdf_rows:,}"
            )
        return len(reader.pages)
