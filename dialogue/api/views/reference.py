"""Read-only reference resources and the caller."""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import RetrieveAPIView
from rest_framework.response import Response

from dialogue.api.querying import Related
from dialogue.api.serializers.reference import (
    MeSerializer,
    OrganizationSerializer,
    SectorSerializer,
    ThreatCategorySerializer,
)
from dialogue.api.views.base import AuthenticatedRequest, ReadOnlyVisibleViewSet
from dialogue.lists.organizations import OrganizationFilter
from dialogue.models import Organization, Sector, ThreatCategory, User
from dialogue.permissions import is_secretariat
from dialogue.services.organizations import organization_create, organization_update


class MeView(RetrieveAPIView):
    serializer_class = MeSerializer

    request: AuthenticatedRequest

    def get_object(self) -> User:
        return User.objects.prefetch_related("sectors").get(pk=self.request.user.pk)


class SectorViewSet(ReadOnlyVisibleViewSet):
    model = Sector
    serializer_class = SectorSerializer
    pagination_class = None
    ordering = ["sort_order", "code"]

    def scope(self, queryset):
        return queryset.select_related("parent")


class ThreatCategoryViewSet(ReadOnlyVisibleViewSet):
    model = ThreatCategory
    serializer_class = ThreatCategorySerializer
    pagination_class = None
    lookup_field = "code"
    lookup_value_regex = r"\d(-\d)?"
    ordering = ["sort_order", "code"]

    def scope(self, queryset):
        return queryset.select_related("parent")


class OrganizationViewSet(ReadOnlyVisibleViewSet):
    """Officials see every organization; a company user sees their own. The secretariat edits."""

    model = Organization
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    ordering_fields = ["name", "corporate_number", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    related = (Related("sectors", Sector),)

    def _require_secretariat(self):
        from rest_framework.exceptions import PermissionDenied

        if not is_secretariat(self.request.user):
            raise PermissionDenied()

    @extend_schema(responses={201: OrganizationSerializer})
    def create(self, request, *args, **kwargs):
        self._require_secretariat()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = organization_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.reload(organization)).data, status=201)

    def partial_update(self, request, *args, **kwargs):
        organization = self.get_object()
        self._require_secretariat()
        serializer = self.get_serializer(organization, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        organization = organization_update(
            organization=organization, actor=request.user, changes=serializer.validated_data
        )
        return Response(self.get_serializer(self.reload(organization)).data)
