"""HTTP responses for exports: always a download, never cached, with the marking in a header."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

from dialogue.audit import audit_export_file, audit_export_queued
from dialogue.downloads import content_disposition
from dialogue.services import exports

MARKING_HEADER = "X-Marking"


def _protect(response, *, filename: str, marking: str):
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response[MARKING_HEADER] = marking
    return response


def streaming_download(
    chunks: Iterable[bytes], *, filename: str, content_type: str, marking: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    return _protect(response, filename=filename, marking=marking)


def file_download(handle, *, filename: str, content_type: str, marking: str) -> FileResponse:
    """`handle`: an open binary file positioned at its start; closed when the response is."""
    response = FileResponse(handle, content_type=content_type)
    return _protect(response, filename=filename, marking=marking)


# -- the file now, or a job when it is large (the pages and the API share this) -------------


def plan_export_response(
    request, *, revision, format: str, max_marking: str | None, queued: Callable
) -> HttpResponse:
    """The plan-revision summary as a download, or `queued(job)` when it is large.
    Either way the export is in the audit log."""
    user = request.user
    size = exports.plan_export_size(revision=revision, user=user, max_marking=max_marking)
    if exports.is_large(size):
        job = exports.export_job_create(
            user=user,
            kind=exports.PLAN_KIND,
            format=format,
            params={"revision": revision.pk, "max_marking": max_marking},
        )
        audit_export_queued(request, job)
        return queued(job)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    built = exports.plan_export_write(
        revision=revision, user=user, format=format, max_marking=max_marking, target=handle
    )
    handle.seek(0)
    audit_export_file(
        request,
        kind=exports.PLAN_KIND,
        format=format,
        max_marking=max_marking,
        marking=built.marking,
        rows=built.rows,
        revision_id=revision.pk,
    )
    return file_download(
        handle, filename=built.filename, content_type=built.content_type, marking=built.marking
    )


def list_export_response(
    request,
    *,
    kind: str,
    source: str,
    query,
    format: str,
    max_marking: str | None,
    queued: Callable,
) -> HttpResponse:
    """A list exactly as its page (`source="workspace"`) or the API (`"api"`) lists it for
    `query`: CSV streamed, XLSX built first, or `queued(job)` when it is large."""
    export = exports.list_export_for(
        kind=kind, user=request.user, source=source, query=query, max_marking=max_marking
    )
    if exports.is_large(export.count()):
        job = exports.export_job_create(
            user=request.user,
            kind=kind,
            format=format,
            params={
                "source": source,
                "query": exports.query_params(query),
                "max_marking": max_marking,
            },
        )
        audit_export_queued(request, job)
        return queued(job)
    if format == "csv":
        marking = export.marking()
        audit_export_file(
            request, kind=kind, format=format, max_marking=max_marking, marking=marking
        )
        return streaming_download(
            exports.list_csv_chunks(export, marking=marking),
            filename=exports.export_filename(kind, marking, "csv"),
            content_type=exports.CONTENT_TYPES["csv"],
            marking=marking,
        )
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    built = exports.list_export_write(export=export, format=format, target=handle)
    handle.seek(0)
    audit_export_file(
        request,
        kind=kind,
        format=format,
        max_marking=max_marking,
        marking=built.marking,
        rows=built.rows,
    )
    return file_download(
        handle, filename=built.filename, content_type=built.content_type, marking=built.marking
    )
