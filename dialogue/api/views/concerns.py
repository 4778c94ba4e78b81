"""Concerns, their message threads and attachments."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from dialogue.api.binary import binary_responses
from dialogue.api.querying import Related
from dialogue.api.serializers.concerns import (
    ConcernAttachmentSerializer,
    ConcernMessageSerializer,
    ConcernSerializer,
    ConcernSubmitSerializer,
)
from dialogue.api.views.base import ServiceViewSet, VisibleViewSet
from dialogue.disclosure import concern_key_filter, sees_global_concern_ids
from dialogue.downloads import attachment_response
from dialogue.lists.concerns import ConcernFilter
from dialogue.models import Concern, ConcernAttachment, ConcernMessage, User
from dialogue.querysets import visible_rows
from dialogue.services.attachments import FILE_KINDS
from dialogue.services.concerns import (
    concern_attach,
    concern_change_status,
    concern_message_post,
    concern_submit,
    concern_update,
)
from dialogue.throttling import ConcernSubmitThrottle

CONCERN_KEY = (
    "Officials: the concern's id (`57`). Company users: their organization's reference "
    "number (`2026-0003`); global ids are never shown to them nor accepted from them."
)
_BY_KEY = extend_schema(
    parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH, description=CONCERN_KEY)]
)


@extend_schema_view(
    create=extend_schema(request=ConcernSubmitSerializer, responses={201: ConcernSerializer}),
    retrieve=_BY_KEY,
    partial_update=_BY_KEY,
)
class ConcernViewSet(ServiceViewSet):
    """Company users see and submit their own organization's concerns; officials triage.

    Company users never meet a global concern id: they address a concern by their
    organization's reference number, responses carry `reference` but no `id`, and lists
    are ordered (and their cursors positioned) by date, not by id.
    """

    model = Concern
    serializer_class = ConcernSerializer
    filterset_class = ConcernFilter

    @property
    def ordering_fields(self):
        if self._by_reference():
            return ["created_at", "updated_at", "status", "reference"]
        return ["id", "created_at", "updated_at", "status"]

    # Per caller; OrderingFilter reads `view.ordering`, so a property serves it.
    @property
    def ordering(self) -> list[str]:  # type: ignore[override]
        return ["-created_at"] if self._by_reference() else ["-id"]

    def get_serializer_class(self):
        # The submitter writes what the concern is about; status, assignee and named
        # people are left to the officials who handle it (the service checks who may do what).
        return ConcernSubmitSerializer if self.action == "create" else ConcernSerializer

    def _by_reference(self) -> bool:
        request = getattr(self, "request", None)
        return request is not None and not sees_global_concern_ids(request.user)

    def get_object(self):
        queryset = self.filter_queryset(self.get_queryset())
        concern = get_object_or_404(
            queryset, concern_key_filter(self.request.user, self.kwargs["pk"])
        )
        self.check_object_permissions(self.request, concern)
        return self.mark_related([concern])[0]

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action == "create":
            throttles.append(ConcernSubmitThrottle())
        return throttles

    related = (Related("assigned_to", User), Related("named_users", User))

    def scope(self, queryset):
        return queryset.select_related("organization", "sector", "category")

    def service_create(self, data):
        return concern_submit(user=self.request.user, **data)

    def service_update(self, concern, data, expected_version):
        status_value = data.pop("status", None)
        official_changes = {
            k: data[k] for k in ("assigned_to", "marking", "named_users") if k in data
        }
        if official_changes:
            concern = concern_update(
                concern=concern,
                actor=self.request.user,
                changes=official_changes,
                expected_version=expected_version,
            )
            expected_version = None
        if status_value and status_value != concern.status:
            concern = concern_change_status(
                concern=concern,
                actor=self.request.user,
                status=status_value,
                expected_version=expected_version,
            )
        return concern


class ConcernChildViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, VisibleViewSet):
    """Children of one concern; the concern itself must be visible, else 404."""

    http_method_names = ["get", "post", "head", "options"]
    pagination_class = None

    def get_concern(self) -> Concern:
        """By id for officials, by their organization's reference for company users."""
        if not hasattr(self, "_concern"):
            self._concern = get_object_or_404(
                Concern.objects.visible_to(self.request.user),
                concern_key_filter(self.request.user, self.kwargs["concern_pk"]),
            )
        return self._concern

    def get_serializer_context(self):
        # Links to children use the caller's own key for the concern (id or reference).
        return {**super().get_serializer_context(), "concern_key": self.kwargs.get("concern_pk")}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model._default_manager.none()
        return self.scope(
            visible_rows(self.model, self.request.user).filter(concern=self.get_concern())
        )


class ConcernMessageViewSet(ConcernChildViewSet):
    """The thread: replies visible to the company, internal notes to officials only."""

    model = ConcernMessage
    serializer_class = ConcernMessageSerializer
    ordering = ["created_at", "id"]

    def scope(self, queryset):
        return queryset.select_related("author")

    def create(self, request, *args, **kwargs):
        concern = self.get_concern()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = concern_message_post(
            concern=concern,
            author=request.user,
            body=serializer.validated_data["body"],
            is_internal=serializer.validated_data.get("is_internal", False),
        )
        return Response(self.get_serializer(message).data, status=status.HTTP_201_CREATED)


class ConcernAttachmentViewSet(mixins.RetrieveModelMixin, ConcernChildViewSet):
    model = ConcernAttachment
    serializer_class = ConcernAttachmentSerializer
    parser_classes = [MultiPartParser]  # a file: multipart/form-data only
    ordering = ["created_at", "id"]

    def scope(self, queryset):
        return queryset.select_related("uploaded_by")

    def create(self, request, *args, **kwargs):
        concern = self.get_concern()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        [attachment] = concern_attach(
            concern=concern, actor=request.user, uploads=[serializer.validated_data["file"]]
        )
        return Response(self.get_serializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=binary_responses(
            200,
            [kind.content_type for kind in FILE_KINDS],
            "The file, as a download, with the content type it was stored with.",
        )
    )
    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        return attachment_response(self.get_object(), request=request)
