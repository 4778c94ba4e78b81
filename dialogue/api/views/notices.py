"""Outreach notices: officials list, write, publish and withdraw the notices of their
sectors; company users list and read the notices addressed to their organization."""

from django.db.models import Exists, OuterRef, Prefetch, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dialogue.api.querying import Related
from dialogue.api.serializers.notices import (
    NoticeReadSerializer,
    NoticeSerializer,
    NoticeTransitionSerializer,
)
from dialogue.api.views.base import ServiceViewSet
from dialogue.models import (
    BestPractice,
    ChokepointTechnology,
    ForeignMeasure,
    Notice,
    NoticeRead,
    Sector,
    ThreatCategory,
)
from dialogue.permissions import is_company_member
from dialogue.services.notices import (
    notice_create,
    notice_mark_read,
    notice_publish,
    notice_update,
    notice_withdraw,
)


class NoticeViewSet(ServiceViewSet):
    """Officials: the notices they may see, drafts too. Company users: the published
    notices addressed to their organization, unread first."""

    model = Notice
    serializer_class = NoticeSerializer
    ordering = ["-publish_on", "-id"]
    ordering_fields = ["publish_on", "id"]
    filterset_fields = ["status", "kind"]

    related = (
        Related("foreign_measures", ForeignMeasure),
        Related("best_practices", BestPractice),
        Related("chokepoints", ChokepointTechnology),
    )

    def scope(self, queryset):
        queryset = queryset.prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.order_by("sort_order", "code")),
            Prefetch("threat_categories", queryset=ThreatCategory.objects.order_by("code")),
        )
        if is_company_member(self.request.user):
            reads = NoticeRead.objects.filter(notice=OuterRef("pk"), user=self.request.user)
            queryset = queryset.annotate(
                is_read=Exists(reads), read_at=Subquery(reads.values("read_at")[:1])
            ).order_by("is_read", "-publish_on", "-id")
        return queryset

    def service_create(self, data):
        return notice_create(actor=self.request.user, **data)

    def service_update(self, notice, data, expected_version):
        return notice_update(
            notice=notice, actor=self.request.user, changes=data, expected_version=expected_version
        )

    def _transition(self, request, change):
        notice = self.get_object()
        serializer = NoticeTransitionSerializer(
            data=request.data, if_match=bool(request.headers.get("If-Match"))
        )
        serializer.is_valid(raise_exception=True)
        expected = self.expected_version(dict(serializer.validated_data))
        notice = change(notice=notice, actor=request.user, expected_version=expected)
        return Response(self.get_serializer(self.reload(notice)).data)

    @extend_schema(request=NoticeTransitionSerializer, responses={200: NoticeSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish a draft (from its publication date on, its audience sees it)."""
        return self._transition(request, notice_publish)

    @extend_schema(request=NoticeTransitionSerializer, responses={200: NoticeSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._transition(request, notice_withdraw)

    @extend_schema(request=None, responses={200: NoticeReadSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Record that you have read the notice (company users; the first time counts)."""
        if not is_company_member(request.user):
            raise PermissionDenied()
        receipt = notice_mark_read(notice=self.get_object(), user=request.user)
        return Response(NoticeReadSerializer(receipt).data)
