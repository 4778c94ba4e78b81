"""Exports through the API: plan-revision summaries, list exports, and export jobs.

GET /api/v1/plan-revisions/{id}/export/?format=xlsx|csv|pdf[&max_marking=GREEN]
GET /api/v1/threats/export/?format=csv|xlsx&<the list's filters and ordering>
    (also actions/ and chokepoints/)
GET /api/v1/export-jobs/, /api/v1/export-jobs/{id}/, /api/v1/export-jobs/{id}/download/

A small export answers 200 with the file; a large one answers 202 with an export
job to poll (its `download_url` works once `status` is "done"). `?format=` names
the file format here, so these views ignore DRF's format negotiation: errors and
jobs are always JSON.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from dialogue.api.binary import binary_responses
from dialogue.api.filtering import ApiFilterBackend
from dialogue.api.schema import Detail, FieldErrors
from dialogue.api.serializers.common import ApiModelSerializer
from dialogue.api.views.base import ReadOnlyVisibleViewSet
from dialogue.audit import audit_export_downloaded, request_origin
from dialogue.downloads import export_response, file_download
from dialogue.lists import API, list_kind
from dialogue.models import ExportJob, PlanRevision
from dialogue.services.export_requests import list_export_request, plan_export_request
from dialogue.services.exports import (
    CONTENT_TYPES,
    LIST_FORMATS,
    PLAN_FORMATS,
    PLAN_KIND,
    export_job_is_expired,
    file_extension,
)


class FormatIsNotARenderer(BaseContentNegotiation):
    """`?format=csv` picks the export's file format, not a DRF renderer: answer in JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportJobSerializer(ApiModelSerializer):
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField(
        help_text="Where to fetch the file once `status` is done; null until then."
    )
    page_url = serializers.SerializerMethodField(
        help_text="The workspace page that shows the job's progress."
    )

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "kind",
            "format",
            "status",
            "progress",
            "rows",
            "marking",
            "filename",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "url",
            "download_url",
            "page_url",
        ]
        read_only_fields = fields

    def get_url(self, job) -> str:
        return reverse("api:export-job-detail", args=[job.pk])

    def get_download_url(self, job) -> str | None:
        if job.status != ExportJob.Status.DONE:
            return None
        return reverse("api:export-job-download", args=[job.pk])

    def get_page_url(self, job) -> str | None:
        try:
            return reverse("plans:export-job", args=[job.pk])
        except NoReverseMatch:
            return None


def _choice(request, name: str, allowed, *, required: bool) -> str | None:
    """Query parameter `name` exactly as the schema spells it (no case folding, no empty
    value), or None when it may be and is left out."""
    if name not in request.query_params and not required:
        return None
    value = request.query_params.get(name, "")
    if value not in allowed:
        raise exceptions.ValidationError(
            {name: [_("Choose one of %(choices)s.") % {"choices": ", ".join(allowed)}]}
        )
    return value


def _format(request, allowed: tuple[str, ...]) -> str:
    return _choice(request, "format", allowed, required=True) or ""


# The caps a wider circulation can ask for (RED is never exported beyond its names).
MAX_MARKINGS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT")


def _max_marking(request) -> str | None:
    return _choice(request, "max_marking", MAX_MARKINGS, required=False)


def _queued(job: ExportJob) -> Response:
    data = ExportJobSerializer(job).data
    return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


FORMAT = OpenApiParameter("format", str, required=True, description="File format.")
MAX_MARKING = OpenApiParameter(
    "max_marking",
    str,
    enum=list(MAX_MARKINGS),
    description="Leave out everything marked above this (for wider circulation).",
)


def _media_type(extension: str) -> str:
    return CONTENT_TYPES[extension].split(";")[0]


def file_responses(kind: str, formats) -> dict:
    """200 with the file in its own content type (not JSON), or 202 with a job."""
    return {
        **binary_responses(
            200,
            [_media_type(file_extension(kind, f)) for f in formats],
            "The file (small exports).",
        ),
        (202, "application/json"): OpenApiResponse(
            ExportJobSerializer, description="A job to poll (large exports)."
        ),
        (400, "application/json"): OpenApiResponse(
            FieldErrors, description="Invalid `format`, `max_marking` or filter value."
        ),
    }


class ExportView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatIsNotARenderer


class PlanRevisionExportView(ExportView):
    """The plan-revision summary as XLSX (one sheet per part), zipped CSV or an A4 PDF."""

    @extend_schema(
        operation_id="plan_revisions_export",
        parameters=[
            OpenApiParameter("format", str, enum=list(PLAN_FORMATS), required=True),
            MAX_MARKING,
        ],
        responses=file_responses(PLAN_KIND, PLAN_FORMATS),
    )
    def get(self, request, pk: int):
        revision = get_object_or_404(PlanRevision.objects.visible_to(request.user), pk=pk)
        format = _format(request, PLAN_FORMATS)
        max_marking = _max_marking(request)
        outcome = plan_export_request(
            user=request.user,
            origin=request_origin(request),
            revision=revision,
            format=format,
            max_marking=max_marking,
        )
        return export_response(outcome, queued=_queued)


class ListExportView(ExportView):
    """Exactly the rows the list shows for the same filters and ordering, as CSV or XLSX."""

    kind = "threats"

    def get(self, request):
        format = _format(request, LIST_FORMATS)
        max_marking = _max_marking(request)
        outcome = list_export_request(
            user=request.user,
            origin=request_origin(request),
            kind=self.kind,
            source=API,
            params=dict(request.query_params.lists()),
            format=format,
            max_marking=max_marking,
        )
        return export_response(outcome, queued=_queued)


def _list_view(kind: str):
    """The export view of list `kind`, declaring that list's own filter and `ordering`
    parameters (the same ListKind the list view filters with, so the two never differ)."""
    spec = list_kind(kind).api

    # Annotate a function of this view's own: decorating the shared ListExportView.get
    # gave every list export the last one's operationId and description.
    @extend_schema(
        operation_id=f"{kind}_export",
        description=f"The same filters and `ordering` as GET /api/v1/{kind}/.",
        parameters=[
            OpenApiParameter("format", str, enum=list(LIST_FORMATS), required=True),
            MAX_MARKING,
        ],
        responses=file_responses(kind, LIST_FORMATS),
        filters=True,
    )
    def get(self, request):
        return ListExportView.get(self, request)

    return type(
        f"{kind.title()}ExportView",
        (ListExportView,),
        {
            "kind": kind,
            "__doc__": ListExportView.__doc__,
            "get": get,
            # For the schema only: the export filters through list_export_request.
            "queryset": list_kind(kind).model._default_manager.none(),
            "filter_backends": [ApiFilterBackend, OrderingFilter],
            "filterset_class": spec.filterset_class,
            "ordering_fields": spec.ordering_fields,
        },
    )


ThreatExportView = _list_view("threats")
ActionExportView = _list_view("actions")
ChokepointExportView = _list_view("chokepoints")


class ExportJobViewSet(ReadOnlyVisibleViewSet):
    """The caller's own export jobs (nobody else's: 404)."""

    model = ExportJob
    serializer_class = ExportJobSerializer
    ordering = ["-id"]
    ordering_fields = ["id", "created_at"]
    filterset_class = None
    filterset_fields = ["status", "kind"]

    @extend_schema(
        responses={
            **binary_responses(200, [_media_type(e) for e in CONTENT_TYPES], "The file."),
            (409, "application/json"): OpenApiResponse(
                Detail, description="Not ready yet, failed, or expired."
            ),
        }
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def download(self, request, *args, **kwargs):
        job = self.get_object()
        if job.status != ExportJob.Status.DONE or not job.file or export_job_is_expired(job):
            return Response(
                {"detail": _("This export is not ready, has failed or has expired.")},
                status=status.HTTP_409_CONFLICT,
            )
        try:
            handle = job.file.open("rb")
        except FileNotFoundError as error:
            raise exceptions.NotFound() from error
        extension = job.filename.rsplit(".", 1)[-1]
        audit_export_downloaded(user=request.user, origin=request_origin(request), job=job)
        return file_download(
            handle,
            filename=job.filename,
            content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
            marking=job.marking,
        )
