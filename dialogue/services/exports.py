"""Exports: build a file for a reader, now (streamed) or as a background job with progress.

Small exports stream straight to the browser; an export of more than
EXPORT_SYNC_MAX_ROWS rows becomes an `ExportJob` that a Celery worker builds
(`export_job_run`), reporting progress as it goes, and stores under
MEDIA_ROOT/exports/ (outside the web root; served only to the requester through
a permission-checked view). Jobs and their files are removed after
EXPORT_JOB_TTL_HOURS (`export_jobs_expire`).

A job records what was asked (kind, format, filters, maximum marking, language),
never the rows: the worker rebuilds the export from the database with the
requester's visibility at the time it runs.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dialogue.exports.csv import iter_copy_csv, iter_csv, write_csv_zip
from dialogue.exports.pdf import write_pdf
from dialogue.exports.xlsx import write_xlsx
from dialogue.lists import API, Params, list_kind
from dialogue.models import ExportJob, PlanRevision, User
from dialogue.permissions import is_official
from dialogue.queueing import EXPORT_RUN, queue
from dialogue.selectors.exports import (
    ListExport,
    copy_csv_chunks,
    list_export,
    parse_max_marking,
    plan_revision_item_count,
    plan_revision_summary,
)
from dialogue.services.common import PermissionDeniedError

if TYPE_CHECKING:
    from django.db.models import Field

log = logging.getLogger(__name__)

PLAN_KIND = "plan-revision"
PLAN_FORMATS = ("xlsx", "csv", "pdf")
LIST_FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "pdf": "application/pdf",
}


@dataclass
class BuiltExport:
    filename: str
    content_type: str
    marking: str
    rows: int


def file_extension(kind: str, format: str) -> str:
    """The plan-revision CSV is one file per sheet, zipped."""
    return "zip" if kind == PLAN_KIND and format == "csv" else format


def export_filename(stem: str, marking: str, extension: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{stem}_{marking.replace(':', '-')}_{stamp}.{extension}"


def is_large(rows: int) -> bool:
    limit: int = settings.EXPORT_SYNC_MAX_ROWS
    return rows > limit


def check_format(kind: str, format: str) -> None:
    formats = PLAN_FORMATS if kind == PLAN_KIND else LIST_FORMATS
    if format not in formats:
        raise ValidationError(
            {"format": _("Choose one of %(choices)s.") % {"choices": ", ".join(formats)}},
            code="invalid_choice",
        )


# --- plan revisions -----------------------------------------------------------------------


def _require_official(user: User) -> None:
    if not is_official(user):
        raise PermissionDeniedError(_("Plan revisions are exported by officials only."))


def plan_export_size(*, revision: PlanRevision, user: User, max_marking: str | None) -> int:
    return plan_revision_item_count(revision=revision, user=user, max_marking=max_marking)


def plan_export_write(
    *,
    revision: PlanRevision,
    user: User,
    format: str,
    max_marking: str | None,
    target: IO[bytes],
    progress: Callable[[int], None] | None = None,
) -> BuiltExport:
    """Write the revision's summary as XLSX, zipped CSV or PDF to `target` (a binary file)."""
    _require_official(user)
    check_format(PLAN_KIND, format)
    document = plan_revision_summary(revision=revision, user=user, max_marking=max_marking)
    if format == "xlsx":
        rows = write_xlsx(document, target, progress=progress)
    elif format == "csv":
        rows = write_csv_zip(document, target, progress=progress)
    else:
        rows = write_pdf(document, target, max_rows=settings.EXPORT_PDF_MAX_ROWS, progress=progress)
    extension = file_extension(PLAN_KIND, format)
    return BuiltExport(
        filename=export_filename(f"action-plan_{revision.label}", document.marking, extension),
        content_type=CONTENT_TYPES[extension],
        marking=document.marking,
        rows=rows,
    )


# --- lists (registers and trackers) -------------------------------------------------------


def list_csv_chunks(
    export: ListExport, *, progress: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """BOM, banner, header, rows: through PostgreSQL's COPY when the database is PostgreSQL."""
    document = export.document()
    head = [document.banner(document.sheets[0]), tuple(export.columns)]
    if connections[export.rows.db].vendor == "postgresql":
        return iter_copy_csv(head, copy_csv_chunks(export.rows), progress=progress)
    return iter_csv(head, export.rows.iterator(chunk_size=2000), progress=progress)


def list_export_write(
    *,
    export: ListExport,
    format: str,
    target: IO[bytes],
    progress: Callable[[int], None] | None = None,
) -> BuiltExport:
    check_format(export.spec.kind, format)
    if format == "csv":
        rows = export.total
        for chunk in list_csv_chunks(export, progress=progress):
            target.write(chunk)
    else:
        rows = write_xlsx(export.document(), target, progress=progress)
    return BuiltExport(
        filename=export_filename(export.spec.kind, export.marking, format),
        content_type=CONTENT_TYPES[format],
        marking=export.marking,
        rows=rows,
    )


# --- jobs ---------------------------------------------------------------------------------

# Parameters of our own, not the list's: a job does not store them as its list's query.
OWN_PARAMS = ("format", "max_marking", "page")


def job_query(params: Params) -> dict[str, list[str]]:
    """A list's query string as JSON for a job (lists of values, without our own keys).

    A parameter holding a NUL is left out: PostgreSQL's JSON cannot store one, and no
    filter takes it (the page ignored it, so the job's rows stay the page's rows).
    """
    return {
        key: list(values)
        for key, values in params.items()
        if key not in OWN_PARAMS and "\x00" not in key + "".join(values)
    }


@transaction.atomic
def export_job_create(*, user: User, kind: str, format: str, params: dict[str, Any]) -> ExportJob:
    """Queue an export for `user`; the worker starts once this transaction commits."""
    check_format(kind, format)
    if kind == PLAN_KIND:
        _require_official(user)
    else:
        list_kind(kind)
    parse_max_marking(params.get("max_marking"))
    params = {**params, "language": translation.get_language() or settings.LANGUAGE_CODE}
    job = ExportJob(requested_by=user, kind=kind, format=format, params=params)
    job.full_clean(exclude=["file"])
    job.save()
    export_jobs_expire()
    transaction.on_commit(lambda: queue(EXPORT_RUN, job.pk))
    return job


class _ProgressReporter:
    """Writes a running job's progress where the requester's progress page can read it.

    On PostgreSQL it writes through a connection of its own, committed at once: the
    job's own connection may be in the middle of a COPY, and psycopg 3 holds a
    connection for the whole COPY, so an UPDATE on it would wait forever.
    """

    def __init__(self, job_id: int, total: int):
        self.job_id = job_id
        self.total = total
        alias = ExportJob.objects.db
        self.side = None
        if connections[alias].vendor == "postgresql":
            self.side = connections.create_connection(alias)

    def __call__(self, rows: int) -> None:
        percent = min(99, int(rows * 100 / self.total)) if self.total else 99
        if self.side is None:
            ExportJob.objects.filter(pk=self.job_id).update(progress=percent, rows=rows)
            return
        quote = self.side.ops.quote_name
        meta = ExportJob._meta
        fields = [
            cast("Field[Any, Any]", meta.get_field(name)) for name in ("progress", "rows", "id")
        ]
        columns = [quote(field.column) for field in fields]
        sql = "UPDATE {} SET {} = %s, {} = %s WHERE {} = %s".format(  # noqa: S608 (names from metadata)
            quote(meta.db_table), *columns
        )
        with self.side.cursor() as cursor:
            cursor.execute(sql, [percent, rows, self.job_id])

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def _build_job(job: ExportJob, target: IO[bytes]) -> BuiltExport:
    reporters: list[_ProgressReporter] = []

    def reporter(total: int) -> _ProgressReporter:
        reporters.append(_ProgressReporter(job.pk, total))
        return reporters[-1]

    try:
        return _build_job_file(job, target, reporter)
    finally:
        for each in reporters:
            each.close()


def _build_job_file(
    job: ExportJob, target: IO[bytes], reporter: Callable[[int], _ProgressReporter]
) -> BuiltExport:
    user = job.requested_by
    params = job.params
    max_marking = parse_max_marking(params.get("max_marking"))
    if job.kind == PLAN_KIND:
        revision = PlanRevision.objects.visible_to(user).get(pk=params["revision"])
        total = plan_export_size(revision=revision, user=user, max_marking=max_marking)
        return plan_export_write(
            revision=revision,
            user=user,
            format=job.format,
            max_marking=max_marking,
            target=target,
            progress=reporter(total),
        )
    export = list_export(
        kind=job.kind,
        source=params.get("source", API),
        user=user,
        params={k: [str(v) for v in vs] for k, vs in (params.get("query") or {}).items()},
        max_marking=max_marking,
    )
    return list_export_write(
        export=export, format=job.format, target=target, progress=reporter(export.total)
    )


def export_job_run(*, job_id: int) -> ExportJob:
    """Build the job's file and store it. Safe to run twice: a finished job is left alone,
    and a job whose worker died mid-way is built again from the start."""
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
        return job
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now(), progress=0, rows=0
    )
    language = job.params.get("language") or settings.LANGUAGE_CODE
    try:
        with translation.override(language), tempfile.TemporaryFile() as handle:
            built = _build_job(job, handle)
            handle.seek(0)
            extension = file_extension(job.kind, job.format)
            job.file.save(f"{uuid.uuid4().hex}.{extension}", File(handle), save=False)
    except Exception as error:  # any failure is reported to the requester
        log.exception("export job %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:300],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    job.status = ExportJob.Status.DONE
    job.progress = 100
    job.rows = built.rows
    job.filename = built.filename
    job.marking = built.marking
    job.finished_at = timezone.now()
    job.save(
        update_fields=["status", "progress", "rows", "file", "filename", "marking", "finished_at"]
    )
    return job


def export_jobs_expire(*, now: datetime.datetime | None = None) -> int:
    """Remove jobs (and their files) older than EXPORT_JOB_TTL_HOURS; return how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.EXPORT_JOB_TTL_HOURS)
    expired = list(ExportJob.objects.filter(created_at__lt=cutoff))
    for job in expired:
        if job.file:
            job.file.delete(save=False)
    ExportJob.objects.filter(pk__in=[job.pk for job in expired]).delete()
    return len(expired)


def export_job_is_expired(job: ExportJob) -> bool:
    age = timezone.now() - job.created_at
    return age > datetime.timedelta(hours=settings.EXPORT_JOB_TTL_HOURS)
