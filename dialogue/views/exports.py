"""Exports in the workspace: a plan revision's summary, the register and tracker lists, and
the page that follows a large export's progress until its download is ready."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dialogue.audit import audit_export_downloaded, request_origin
from dialogue.downloads import export_response, file_download
from dialogue.lists import LISTS, WORKSPACE
from dialogue.models import ExportJob, PlanRevision
from dialogue.selectors.exports import parse_max_marking
from dialogue.services.export_requests import list_export_request, plan_export_request
from dialogue.services.exports import (
    CONTENT_TYPES,
    LIST_FORMATS,
    PLAN_FORMATS,
    export_job_is_expired,
)
from dialogue.views.access import official_required

REFRESH_SECONDS = 2


def _job_page(job: ExportJob):
    return redirect("plans:export-job", pk=job.pk)


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
    outcome = plan_export_request(
        user=user,
        origin=request_origin(request),
        revision=revision,
        format=format,
        max_marking=max_marking,
    )
    return export_response(outcome, queued=_job_page)


@official_required
def list_export(request, kind: str):
    """The register or tracker exactly as its page lists it for the same query string."""
    if kind not in LISTS:
        raise Http404
    format = request.GET.get("format", "csv")
    try:
        if format not in LIST_FORMATS:
            raise ValidationError(
                _("Choose one of %(choices)s.") % {"choices": ", ".join(LIST_FORMATS)}
            )
        max_marking = parse_max_marking(request.GET.get("max_marking"))
    except ValidationError as error:
        return _bad_request(error)
    outcome = list_export_request(
        user=request.user,
        origin=request_origin(request),
        kind=kind,
        source=WORKSPACE,
        params=dict(request.GET.lists()),
        format=format,
        max_marking=max_marking,
    )
    return export_response(outcome, queued=_job_page)


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
    audit_export_downloaded(user=request.user, origin=request_origin(request), job=job)
    return file_download(
        handle,
        filename=job.filename,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        marking=job.marking,
    )
