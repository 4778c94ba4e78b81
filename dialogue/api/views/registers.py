"""Threats and chokepoint technologies."""

from dialogue.api.querying import Related
from dialogue.api.serializers.registers import ChokepointSerializer, ThreatSerializer
from dialogue.api.views.base import ServiceViewSet
from dialogue.lists.chokepoints import CHOKEPOINTS
from dialogue.lists.threats import THREATS
from dialogue.models import (
    ChokepointTechnology,
    Concern,
    DialogueSession,
    Organization,
    Threat,
    User,
)
from dialogue.services.chokepoints import chokepoint_create, chokepoint_update
from dialogue.services.threats import threat_change_status, threat_create, threat_update


class ThreatViewSet(ServiceViewSet):
    model = Threat
    serializer_class = ThreatSerializer
    filterset_class = THREATS.api.filterset_class
    ordering_fields = THREATS.api.ordering_fields
    ordering = THREATS.api.default_ordering

    related = (
        Related("source_session", DialogueSession),
        # The company behind a source concern is named only to those who may see that concern.
        Related(
            "source_concern",
            Concern,
            values={
                "source_organization": "organization__name",
                "source_concern_reference": "reference",
            },
        ),
        Related("chokepoints", ChokepointTechnology),
        Related("named_users", User),
    )

    def scope(self, queryset):
        return queryset.select_related("sector", "category")

    def service_create(self, data):
        data.pop("status", None)
        return threat_create(actor=self.request.user, **data)

    def service_update(self, threat, data, expected_version):
        status = data.pop("status", None)
        if data:
            threat = threat_update(
                threat=threat,
                actor=self.request.user,
                changes=data,
                expected_version=expected_version,
            )
            expected_version = None
        if status and status != threat.status:
            threat = threat_change_status(
                threat=threat,
                actor=self.request.user,
                status=status,
                expected_version=expected_version,
            )
        return threat


class ChokepointViewSet(ServiceViewSet):
    model = ChokepointTechnology
    serializer_class = ChokepointSerializer
    filterset_class = CHOKEPOINTS.api.filterset_class
    ordering_fields = CHOKEPOINTS.api.ordering_fields
    ordering = CHOKEPOINTS.api.default_ordering

    related = (Related("holder_organizations", Organization), Related("named_users", User))

    def scope(self, queryset):
        return queryset.select_related("sector")

    def service_create(self, data):
        return chokepoint_create(actor=self.request.user, **data)

    def service_update(self, chokepoint, data, expected_version):
        return chokepoint_update(
            chokepoint=chokepoint,
            actor=self.request.user,
            changes=data,
            expected_version=expected_version,
        )
