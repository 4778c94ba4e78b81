"""A large export job in a real worker on PostgreSQL: it finishes, and progress moves on the way.

A CSV job relays PostgreSQL's COPY and reports progress every 256 KB while the COPY
is still running: the report must not wait for the COPY's own connection (it used
to, forever). Several MB of rows make sure progress is reported mid-COPY.

A PDF job (the plan revision's report) reports the lines it has read, then renders:
its progress page must see it between 0 and 100 too (it used to jump from 0 to 100).
"""

import io
import time

import pytest

from dialogue.enums import Marking
from dialogue.models import ExportJob, Sector, Threat, ThreatCategory
from dialogue.services.exports import PLAN_KIND, export_job_create
from dialogue.services.plans import plan_revision_start
from tests import factories as f
from tests.integration.conftest import requires_services

pytestmark = [requires_services, pytest.mark.django_db(transaction=True)]

ROWS = 12_000
# About 1.2 KB of UTF-8 per row: some 14 MB of CSV, dozens of progress reports.
DESCRIPTION = "後工程の外注先から製造ノウハウの開示を求められた事例。" * 16


def many_threats(sector: Sector, category: ThreatCategory, author, rows: int = ROWS) -> None:
    Threat.objects.bulk_create(
        [
            Threat(
                title=f"大量輸出確認用の脅威{n}",
                description=DESCRIPTION,
                sector=sector,
                category=category,
                likelihood=3,
                impact=4,
                marking=Marking.GREEN,
                created_by=author,
            )
            for n in range(rows)
        ],
        batch_size=2000,
    )


def follow(job: ExportJob, timeout: float = 240) -> set[int]:
    """Poll the job as its progress page does until it ends; the progress values seen."""
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.add(job.progress)
        if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
            break
        time.sleep(0.01)
    return seen


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_large_job_in_a_real_worker_reports_progress_and_finishes(worker_factory, file_format):
    # given several MB of threats an official may see
    secretariat = f.SecretariatFactory()
    sector = f.SectorFactory(code="semiconductors")
    many_threats(sector, f.ThreatCategoryFactory(code="2-1"), secretariat)
    worker_factory()

    # when the official asks for the whole register as a job
    job = export_job_create(
        user=secretariat,
        kind="threats",
        format=file_format,
        params={"source": "api", "query": {}},
    )

    # then the requester's progress page sees it move, and it finishes
    seen = follow(job)
    assert job.status == ExportJob.Status.DONE, f"job ended as {job.status}: {job.error}"
    assert job.rows == ROWS and job.progress == 100
    assert any(0 < percent < 100 for percent in seen), f"no progress seen mid-run: {seen}"
    # CSV is ~1.2 KB a row; XLSX compresses the repeated text.
    assert job.file.size > {"csv": 5_000_000, "xlsx": 400_000}[file_format]


def test_a_pdf_report_job_in_a_real_worker_reports_progress_and_finishes(worker_factory):
    from pypdf import PdfReader

    # given a plan revision of some thousand lines
    secretariat = f.SecretariatFactory()
    sector = f.SectorFactory(code="semiconductors")
    many_threats(sector, f.ThreatCategoryFactory(code="2-1"), secretariat, rows=6_000)
    revision = plan_revision_start(actor=secretariat)
    worker_factory()

    # when the official asks for its printable report as a job
    job = export_job_create(
        user=secretariat,
        kind=PLAN_KIND,
        format="pdf",
        params={"revision": revision.pk, "max_marking": None},
    )

    # then the progress page sees it move, and the file is a PDF carrying the marking
    seen = follow(job)
    assert job.status == ExportJob.Status.DONE, f"job ended as {job.status}: {job.error}"
    assert job.progress == 100 and job.filename.endswith(".pdf")
    assert any(0 < percent < 100 for percent in seen), f"no progress seen mid-run: {seen}"
    with job.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) > 1
    assert all(job.marking in (page.extract_text() or "") for page in pages)
