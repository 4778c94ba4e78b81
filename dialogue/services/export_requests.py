"""An export asked for by a reader: the file now, or a background job when it is large.

The pages and the API ask the same way and get the same answer: an `ExportOutcome`
holding either the file to hand over (an open file, or a CSV stream) or the queued
`ExportJob`. Either way the export is in the audit log, with the reader and the
`Origin` of the request, so that the front doors only turn the outcome into a response.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from dialogue.audit import Origin, audit_export_file, audit_export_queued
from dialogue.lists import Params
from dialogue.models import ExportJob, PlanRevision, User
from dialogue.selectors.exports import list_export
from dialogue.services import exports


@dataclass(frozen=True)
class ExportFile:
    """A file to hand over: `handle` (an open binary file at its start, for the caller to
    close) or `chunks` (its bytes, produced as they are read)."""

    filename: str
    content_type: str
    marking: str
    handle: IO[bytes] | None = None
    chunks: Iterable[bytes] | None = None


@dataclass(frozen=True)
class ExportOutcome:
    """Exactly one of `file` (a small export) and `job` (a large one, queued)."""

    file: ExportFile | None = None
    job: ExportJob | None = None


def _built_file(built: exports.BuiltExport, handle: IO[bytes]) -> ExportFile:
    handle.seek(0)
    return ExportFile(
        filename=built.filename,
        content_type=built.content_type,
        marking=built.marking,
        handle=handle,
    )


def _queue(
    *, user: User, origin: Origin, kind: str, format: str, params: dict[str, Any]
) -> ExportOutcome:
    job = exports.export_job_create(user=user, kind=kind, format=format, params=params)
    audit_export_queued(user=user, origin=origin, job=job)
    return ExportOutcome(job=job)


def plan_export_request(
    *,
    user: User,
    origin: Origin,
    revision: PlanRevision,
    format: str,
    max_marking: str | None,
) -> ExportOutcome:
    """The plan-revision summary as XLSX, zipped CSV or PDF, or a job when it is large."""
    size = exports.plan_export_size(revision=revision, user=user, max_marking=max_marking)
    if exports.is_large(size):
        return _queue(
            user=user,
            origin=origin,
            kind=exports.PLAN_KIND,
            format=format,
            params={"revision": revision.pk, "max_marking": max_marking},
        )
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - whoever serves the file closes it
    built = exports.plan_export_write(
        revision=revision, user=user, format=format, max_marking=max_marking, target=handle
    )
    audit_export_file(
        user=user,
        origin=origin,
        kind=exports.PLAN_KIND,
        format=format,
        max_marking=max_marking,
        marking=built.marking,
        rows=built.rows,
        revision_id=revision.pk,
    )
    return ExportOutcome(file=_built_file(built, handle))


def list_export_request(
    *,
    user: User,
    origin: Origin,
    kind: str,
    source: str,
    params: Params,
    format: str,
    max_marking: str | None,
) -> ExportOutcome:
    """List `kind` exactly as `source` ("workspace": its page, "api": the API list) shows
    it for the query string `params`: CSV streamed, XLSX built first, or a job when large.
    Raises ValidationError for a filter value the API list would refuse."""
    export = list_export(
        kind=kind, source=source, user=user, params=params, max_marking=max_marking
    )
    if exports.is_large(export.total):
        return _queue(
            user=user,
            origin=origin,
            kind=kind,
            format=format,
            params={
                "source": source,
                "query": exports.job_query(params),
                "max_marking": max_marking,
            },
        )
    fields: dict[str, Any] = {"kind": kind, "format": format, "max_marking": max_marking}
    if format == "csv":
        audit_export_file(user=user, origin=origin, marking=export.marking, **fields)
        return ExportOutcome(
            file=ExportFile(
                filename=exports.export_filename(kind, export.marking, "csv"),
                content_type=exports.CONTENT_TYPES["csv"],
                marking=export.marking,
                chunks=exports.list_csv_chunks(export),
            )
        )
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - whoever serves the file closes it
    built = exports.list_export_write(export=export, format=format, target=handle)
    audit_export_file(user=user, origin=origin, marking=built.marking, rows=built.rows, **fields)
    return ExportOutcome(file=_built_file(built, handle))
