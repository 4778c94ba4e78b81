"""The support catalogue (read-only for every signed-in user), a concern's referrals and
the foreign measures behind a concern.

Referrals follow the rules of concern messages: visible with their concern (404 for
anyone else), proposed and moved on by the concern's sector officials, answered (consent
or decline) only by users of the concern's own organization. They are addressed by their
number within the concern, never by a global id.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from dialogue.api.serializers.support import (
    ConcernMeasureNameSerializer,
    ConcernMeasureSerializer,
    ConcernMeasuresUpdateSerializer,
    ReferralAnswerSerializer,
    ReferralProposeSerializer,
    ReferralSerializer,
    SupportOrganizationSerializer,
    SupportSchemeSerializer,
)
from dialogue.api.views.base import ReadOnlyVisibleViewSet, VersionedWriteMixin
from dialogue.api.views.concerns import ConcernChildViewSet
from dialogue.disclosure import sees_global_concern_ids
from dialogue.lists.support import SupportOrganizationFilter, SupportSchemeFilter
from dialogue.models import ForeignMeasure, Referral, SupportOrganization, SupportScheme
from dialogue.selectors.referrals import referrals_with_targets
from dialogue.services.referrals import (
    concern_link_measures,
    referral_change_status,
    referral_respond,
    referrals_propose,
)


class SupportOrganizationViewSet(ReadOnlyVisibleViewSet):
    model = SupportOrganization
    serializer_class = SupportOrganizationSerializer
    filterset_class = SupportOrganizationFilter
    ordering = ["name_ja", "id"]
    ordering_fields = ["name_ja", "name_en", "id"]

    def scope(self, queryset):
        return queryset.prefetch_related("threat_categories", "sectors")


class SupportSchemeViewSet(ReadOnlyVisibleViewSet):
    model = SupportScheme
    serializer_class = SupportSchemeSerializer
    filterset_class = SupportSchemeFilter
    ordering = ["name_ja", "id"]
    ordering_fields = ["name_ja", "name_en", "id"]

    def scope(self, queryset):
        return queryset.prefetch_related("threat_categories", "sectors")


class ReferralViewSet(mixins.RetrieveModelMixin, VersionedWriteMixin, ConcernChildViewSet):
    model = Referral
    serializer_class = ReferralSerializer
    ordering = ["number"]
    lookup_field = "number"
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope(self, queryset):
        return referrals_with_targets(queryset)

    @extend_schema(
        request=ReferralProposeSerializer, responses={201: ReferralSerializer(many=True)}
    )
    def create(self, request, *args, **kwargs):
        concern = self.get_concern()
        serializer = ReferralProposeSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        referrals = referrals_propose(
            concern=concern,
            actor=request.user,
            organizations=serializer.validated_data.get("support_organizations", []),
            schemes=serializer.validated_data.get("support_schemes", []),
            note=serializer.validated_data.get("note", ""),
        )
        rows = self.get_queryset().filter(pk__in=[r.pk for r in referrals]).order_by("number")
        return Response(self.get_serializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        """Officials record the referral's progress (status, note)."""
        referral = self.get_object()
        serializer = self.get_serializer(referral, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if not {"status", "note"} & set(data):
            raise ValidationError({"status": [_("Send the new status or a note.")]})
        expected = self.expected_version(data)
        referral = referral_change_status(
            referral=referral,
            actor=request.user,
            status=data.get("status", referral.status),
            note=data.get("note"),
            expected_version=expected,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=referral.pk)).data)

    @extend_schema(request=ReferralAnswerSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        """The concern's organization consents to the referral (or declines it)."""
        referral = self.get_object()
        if "consent" not in request.data:
            # A form-encoded body without the field would read as "false" (decline).
            raise ValidationError({"consent": [_("Answer true (consent) or false (decline).")]})
        serializer = ReferralAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected = self.expected_version(data)
        referral = referral_respond(
            referral=referral,
            actor=request.user,
            consent=data["consent"],
            expected_version=expected,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=referral.pk)).data)


class ConcernMeasureViewSet(ConcernChildViewSet):
    """The foreign measures behind a concern: officials set them (PUT replaces the list);
    the company sees their names only."""

    model = ForeignMeasure
    serializer_class = ConcernMeasureSerializer
    http_method_names = ["get", "put", "head", "options"]
    ordering = ["-effective_on", "country_code", "id"]

    def get_serializer_class(self):
        request = getattr(self, "request", None)
        if (
            request is not None
            and request.user.is_authenticated
            and not sees_global_concern_ids(request.user)
        ):
            return ConcernMeasureNameSerializer
        return ConcernMeasureSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ForeignMeasure.objects.none()
        return ForeignMeasure.objects.visible_to(self.request.user).filter(
            concerns=self.get_concern()
        )

    @extend_schema(
        request=ConcernMeasuresUpdateSerializer,
        responses={200: ConcernMeasureSerializer(many=True)},
    )
    def update(self, request, *args, **kwargs):
        concern = self.get_concern()
        serializer = ConcernMeasuresUpdateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        concern_link_measures(
            concern=concern,
            actor=request.user,
            measures=serializer.validated_data["foreign_measures"],
        )
        return Response(
            self.get_serializer(self.filter_queryset(self.get_queryset()), many=True).data
        )
