"""Exports in the workspace: a plan revision's summary, the register and tracker lists, and
the page that follows a large export's progress until its download is ready."""

from __future__ import annotations

import tempfile

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dialogue.audit import audit_export_downloaded, audit_export_file, audit_export_queued
from dialogue.exports.responses import file_download, streaming_download
from dialogue.models import ExportJob, PlanRevision
from dialogue.selectors.exports import LIST_EXPORTS, parse_max_marking
from dialogue.services.exports import (
    CONTENT_TYPES,
    LIST_FORMATS,
    PLAN_FORMATS,
    PLAN_KIND,
    export_filename,
    export_job_create,
    export_job_is_expired,
    is_large,
    list_csv_chunks,
    list_export_for,
    list_export_write,
    plan_export_size,
    plan_export_write,
    query_params,
)
from dialogue.views.access import official_required

REFRESH_SECONDS = 2


def _bad_request(error: ValidationError) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(
        " ".join(error.messages), content_type="text/plain; charset=utf-8"
    )


@official_required
def plan_export(request, pk: int):
    """?format=xlsx|csv|pdf&max_marking=GREEN: the file now, or a job page when it is large."""
    user = request.user
    revision = get_object_or_404(PlanRevision.objects.visible_to(user), pk=pk)
    format = request.GET.get("format", "xlsx")
    try:
        if format not in PLAN_FORMATS:
            raise ValidationError(
                _("Choose one of %(choices)s.") % {"choices": ", ".join(PLAN_FORMATS)}
            )
        max_marking = parse_max_marking(request.GET.get("max_marking"))
    except ValidationError as error:
        return _bad_request(error)
    if is_large(plan_export_size(revision=revision, user=user, max_marking=max_marking)):
        job = export_job_create(
            user=user,
            kind=PLAN_KIND,
            format=format,
            params={"revision": revision.pk, "max_marking": max_marking},
        )
        audit_export_queued(request, job)
        return redirect("plans:export-job", pk=job.pk)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    built = plan_export_write(
        revision=revision, user=user, format=format, max_marking=max_marking, target=handle
    )
    handle.seek(0)
    audit_export_file(
        request,
        kind=PLAN_KIND,
        format=format,
        max_marking=max_marking,
        marking=built.marking,
        rows=built.rows,
        revision_id=revision.pk,
    )
    return file_download(
        handle, filename=built.filename, content_type=built.content_type, marking=built.marking
    )


@official_required
def list_export(request, kind: str):
    """The register or tracker exactly as its page lists it for the same query string."""
    if kind not in LIST_EXPORTS:
        raise Http404
    user = request.user
    format = request.GET.get("format", "csv")
    try:
        if format not in LIST_FORMATS:
            raise ValidationError(
                _("Choose one of %(choices)s.") % {"choices": ", ".join(LIST_FORMATS)}
            )
        max_marking = parse_max_marking(request.GET.get("max_marking"))
    except ValidationError as error:
        return _bad_request(error)
    export = list_export_for(
        kind=kind, user=user, source="workspace", query=request.GET, max_marking=max_marking
    )
    if is_large(export.count()):
        job = export_job_create(
            user=user,
            kind=kind,
            format=format,
            params={
                "source": "workspace",
                "query": query_params(request.GET),
                "max_marking": max_marking,
            },
        )
        audit_export_queued(request, job)
        return redirect("plans:export-job", pk=job.pk)
    if format == "csv":
        marking = export.marking()
        audit_export_file(
            request, kind=kind, format=format, max_marking=max_marking, marking=marking
        )
        return streaming_download(
            list_csv_chunks(export, marking=marking),
            filename=export_filename(kind, marking, "csv"),
            content_type=CONTENT_TYPES["csv"],
            marking=marking,
        )
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    built = list_export_write(export=export, format=format, target=handle)
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


@official_required
def export_job_list(request):
    jobs = ExportJob.objects.visible_to(request.user).order_by("-created_at", "-id")[:50]
    return render(
        request,
        "dialogue/exports/job_list.html",
        {"title": _("My exports"), "jobs": jobs},
    )


@official_required
def export_job_detail(request, pk: int):
    job = get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)
    working = job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)
    return render(
        request,
        "dialogue/exports/job_detail.html",
        {
            "title": _("Export"),
            "job": job,
            "working": working,
            "refresh_seconds": REFRESH_SECONDS,
            "expired": export_job_is_expired(job),
        },
    )


@official_required
def export_job_download(request, pk: int):
    job = get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)
    if job.status != ExportJob.Status.DONE or not job.file or export_job_is_expired(job):
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    extension = job.filename.rsplit(".", 1)[-1]
    audit_export_downloaded(request, job)
    return file_download(
        handle,
        filename=job.filename,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        marking=job.marking,
    )
