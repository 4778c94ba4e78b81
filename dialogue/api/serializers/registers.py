"""Threats and chokepoint technologies."""

from rest_framework import serializers

from dialogue.api.fields import (
    StrictCharField,
    VisibleConcernField,
    VisibleRelatedField,
    visible_many,
)
from dialogue.api.serializers.common import (
    ThreatCodeField,
    VersionedSerializer,
    allowed_changes,
)
from dialogue.enums import ThreatStatus
from dialogue.models import (
    ChokepointTechnology,
    DialogueSession,
    Organization,
    Sector,
    Threat,
    User,
)
from dialogue.workflows import THREAT_TRANSITIONS


class ThreatSerializer(VersionedSerializer):
    sector = VisibleRelatedField(model=Sector, public=True)
    sector_code = StrictCharField(source="sector.code", read_only=True)
    sector_name = StrictCharField(source="sector.name", read_only=True)
    category = ThreatCodeField()
    category_name = StrictCharField(source="category.name", read_only=True)
    severity = serializers.IntegerField(read_only=True)
    severity_level = StrictCharField(read_only=True)
    status = serializers.ChoiceField(
        choices=ThreatStatus.choices,
        required=False,
        help_text=allowed_changes(THREAT_TRANSITIONS),
    )
    source_session = VisibleRelatedField(model=DialogueSession, required=False, allow_null=True)
    source_concern = VisibleConcernField(required=False, allow_null=True)
    source_organization = StrictCharField(
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The organization behind the source concern, only when the caller may see that concern.",
    )
    chokepoints = visible_many(ChokepointTechnology)
    named_users = visible_many(User)
    likelihood = serializers.IntegerField(min_value=1, max_value=5)
    impact = serializers.IntegerField(min_value=1, max_value=5)

    class Meta:
        model = Threat
        fields = [
            "id",
            "title",
            "description",
            "sector",
            "sector_code",
            "sector_name",
            "category",
            "category_name",
            "likelihood",
            "impact",
            "severity",
            "severity_level",
            "status",
            "marking",
            "source_session",
            "source_concern",
            "source_organization",
            "chokepoints",
            "named_users",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["created_at", "updated_at"]


class ChokepointSerializer(VersionedSerializer):
    sector = VisibleRelatedField(model=Sector, public=True)
    sector_code = StrictCharField(source="sector.code", read_only=True)
    holder_organizations = visible_many(Organization)
    named_users = visible_many(User)

    class Meta:
        model = ChokepointTechnology
        fields = [
            "id",
            "name",
            "description",
            "sector",
            "sector_code",
            "stage",
            "holders",
            "world_share_pct",
            "outflow_concern",
            "like_minded_holders",
            "process_stage",
            "survey",
            "support_measures",
            "review_on",
            "holder_organizations",
            "marking",
            "named_users",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["created_at", "updated_at"]
