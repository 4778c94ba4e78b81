"""Plan revisions and their diffs."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from dialogue.api.serializers.actions import PlanRevisionChangeSerializer, PlanRevisionSerializer
from dialogue.api.views.base import ReadOnlyVisibleViewSet
from dialogue.models import PlanRevision
from dialogue.selectors.plans import plan_revision_diff
from dialogue.services.plans import plan_revision_delete, plan_revision_publish, plan_revision_start


class PlanRevisionViewSet(mixins.DestroyModelMixin, ReadOnlyVisibleViewSet):
    """Officials read revisions; the secretariat starts, publishes or deletes a draft."""

    model = PlanRevision
    serializer_class = PlanRevisionSerializer
    ordering = ["-number"]
    ordering_fields = ["number", "published_at"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revision = plan_revision_start(
            actor=request.user, notes=serializer.validated_data.get("notes", "")
        )
        return Response(self.get_serializer(revision).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        plan_revision_delete(revision=instance, actor=self.request.user)

    @extend_schema(request=None, responses={200: PlanRevisionSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        revision = plan_revision_publish(revision=self.get_object(), actor=request.user)
        return Response(self.get_serializer(revision).data)

    @extend_schema(responses={200: PlanRevisionChangeSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def diff(self, request, *args, **kwargs):
        changes = plan_revision_diff(self.get_object(), request.user)
        return Response(PlanRevisionChangeSerializer(changes, many=True).data)
