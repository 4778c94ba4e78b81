"""Dependency figures: list, retrieve, create, update, and import a file (dry run first)."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from dialogue.api.querying import Related
from dialogue.api.serializers.dependencies import (
    DependencyImportErrorsSerializer,
    DependencyImportReportSerializer,
    DependencyImportRequestSerializer,
    DependencySerializer,
)
from dialogue.api.views.base import ServiceViewSet
from dialogue.lists.dependencies import DEPENDENCY_API
from dialogue.models import ChokepointTechnology, Concern, Dependency, Threat, User
from dialogue.permissions import may_use_workspace
from dialogue.services.dependencies import dependency_create, dependency_update
from dialogue.services.dependency_import import (
    CREATE,
    UNCHANGED,
    UPDATE,
    ImportReport,
    dependency_import,
)


def _errors_data(report: ImportReport) -> dict:
    """Errors in the API's one shape: a problem with the file (or a parameter) under its
    name, as a field error; problems of rows as a list with their row numbers."""
    data: dict = {}
    for error in report.errors:
        if error.row == 0:
            data.setdefault(error.column or "file", []).append(error.message)
    rows = [vars(error) for error in report.errors if error.row != 0]
    if rows:
        data["errors"] = rows
    return data


def _report_data(report: ImportReport) -> dict:
    return {
        "dry_run": report.dry_run,
        "saved": report.saved,
        "layout": report.layout,
        "created": report.count(CREATE),
        "updated": report.count(UPDATE),
        "unchanged": report.count(UNCHANGED),
        "changes": [vars(change) for change in report.changes],
        "errors": [vars(error) for error in report.errors],
    }


class DependencyViewSet(ServiceViewSet):
    model = Dependency
    serializer_class = DependencySerializer
    filterset_class = DEPENDENCY_API.filterset_class
    ordering_fields = DEPENDENCY_API.ordering_fields
    ordering = DEPENDENCY_API.default_ordering

    related = (
        Related("threats", Threat),
        Related("concerns", Concern),
        Related("chokepoints", ChokepointTechnology),
        Related("named_users", User),
    )

    def scope(self, queryset):
        return queryset.select_related("sector")

    def service_create(self, data):
        return dependency_create(actor=self.request.user, **data)

    def service_update(self, dependency, data, expected_version):
        return dependency_update(
            dependency=dependency,
            actor=self.request.user,
            changes=data,
            expected_version=expected_version,
        )

    @extend_schema(
        request={"multipart/form-data": DependencyImportRequestSerializer},
        responses={
            200: DependencyImportReportSerializer,
            201: DependencyImportReportSerializer,
            400: DependencyImportErrorsSerializer,
        },
        description=(
            "Check a CSV or XLSX file of figures. With dry_run=true (the default) the answer "
            "lists what an import would change and nothing is saved; with dry_run=false every "
            "row is saved (201), or none when any row has an error (400: `errors` by row, "
            "or a problem with the whole file under `file`)."
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser],
        serializer_class=DependencyImportRequestSerializer,
    )
    def import_file(self, request):
        if not may_use_workspace(request.user):
            raise exceptions.PermissionDenied(_("Only officials import dependency figures."))
        serializer = DependencyImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        report = dependency_import(
            actor=request.user,
            # One byte past the limit is enough for the service to refuse a larger file.
            data=upload.read(settings.DEPENDENCY_IMPORT_MAX_BYTES + 1),
            marking=serializer.validated_data["marking"],
            dry_run=serializer.validated_data["dry_run"],
        )
        if not report.ok:
            return Response(_errors_data(report), status=status.HTTP_400_BAD_REQUEST)
        code = status.HTTP_200_OK if report.dry_run else status.HTTP_201_CREATED
        return Response(DependencyImportReportSerializer(_report_data(report)).data, status=code)
