"""The support catalogue, referrals of a concern and the foreign measures behind it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dialogue.api.fields import StrictCharField, VisibleRelatedField
from dialogue.api.serializers.common import ApiModelSerializer, allowed_changes
from dialogue.enums import ReferralStatus
from dialogue.models import (
    ForeignMeasure,
    Referral,
    Sector,
    SupportOrganization,
    SupportScheme,
    ThreatCategory,
)
from dialogue.workflows import REFERRAL_TRANSITIONS

ENTRY_FIELDS = [
    "id",
    "reference_key",
    "name_ja",
    "name_en",
    "description_ja",
    "description_en",
    "threat_codes",
    "sectors",
    "company_sizes",
    "contact",
    "is_active",
]


class SupportEntrySerializer(ApiModelSerializer):
    threat_codes = serializers.SlugRelatedField[ThreatCategory](
        source="threat_categories", slug_field="code", many=True, read_only=True
    )
    sectors = serializers.SlugRelatedField[Sector](slug_field="code", many=True, read_only=True)
    company_sizes = serializers.ListField(
        child=StrictCharField(),
        read_only=True,
        help_text="Size classes it is for (empty: every size).",
    )


class SupportOrganizationSerializer(SupportEntrySerializer):
    class Meta:
        model = SupportOrganization
        fields = [*ENTRY_FIELDS[:2], "abbreviation", *ENTRY_FIELDS[2:]]
        read_only_fields = fields


class SupportSchemeSerializer(SupportEntrySerializer):
    support_kinds = serializers.ListField(
        child=StrictCharField(),
        read_only=True,
        help_text="Desired-support codes it answers (finance, business_continuity …).",
    )

    class Meta:
        model = SupportScheme
        fields = [*ENTRY_FIELDS[:2], "organization", *ENTRY_FIELDS[2:], "support_kinds"]
        read_only_fields = fields


class ReferralSerializer(ApiModelSerializer):
    """A referral, addressed by its number within the concern (no global id)."""

    support_organization = serializers.PrimaryKeyRelatedField[SupportOrganization](
        read_only=True, allow_null=True
    )
    support_scheme = serializers.PrimaryKeyRelatedField[SupportScheme](
        read_only=True, allow_null=True
    )
    target_name = serializers.SerializerMethodField()
    status = serializers.ChoiceField(
        choices=ReferralStatus.choices,
        required=False,
        help_text=allowed_changes(REFERRAL_TRANSITIONS),
    )
    consented_by = StrictCharField(
        source="consented_by.username", read_only=True, default=None, allow_null=True
    )
    version = serializers.IntegerField(required=False, min_value=1)

    class Meta:
        model = Referral
        fields = [
            "number",
            "support_organization",
            "support_scheme",
            "target_name",
            "status",
            "note",
            "created_at",
            "status_changed_at",
            "consented_by",
            "consented_at",
            "referred_at",
            "support_started_at",
            "closed_at",
            "declined_at",
            "version",
        ]
        read_only_fields = [
            "number",
            "created_at",
            "status_changed_at",
            "consented_at",
            "referred_at",
            "support_started_at",
            "closed_at",
            "declined_at",
        ]

    def get_target_name(self, referral: Referral) -> str:
        return str(referral.target)


class ReferralProposeSerializer(serializers.Serializer):
    # Either list may be empty, not both (the service refuses that): no schema keyword
    # says "one of two lists", so the descriptions do.
    support_organizations = serializers.ManyRelatedField(
        child_relation=VisibleRelatedField(
            model=SupportOrganization, queryset=SupportOrganization.objects.all()
        ),
        required=False,
        help_text="Support organizations to refer the concern to. This list and "
        "`support_schemes` may not both be empty.",
    )
    support_schemes = serializers.ManyRelatedField(
        child_relation=VisibleRelatedField(
            model=SupportScheme, queryset=SupportScheme.objects.all()
        ),
        required=False,
        help_text="Support schemes to refer the concern to. This list and "
        "`support_organizations` may not both be empty.",
    )
    note = StrictCharField(required=False, allow_blank=True, default="")


class ReferralAnswerSerializer(serializers.Serializer):
    consent = serializers.BooleanField(
        help_text="true: consent to the referral; false: decline it.",
        # DRF's own message has no Japanese translation.
        error_messages={"invalid": _("Answer true (consent) or false (decline).")},
    )
    version = serializers.IntegerField(required=False, min_value=1)


class ConcernMeasureSerializer(ApiModelSerializer):
    """Officials see the measure's id and title; company users only its name."""

    class Meta:
        model = ForeignMeasure
        fields = ["id", "reference_key", "title_ja", "title_en"]
        read_only_fields = fields


class ConcernMeasureNameSerializer(ApiModelSerializer):
    class Meta:
        model = ForeignMeasure
        fields = ["title_ja", "title_en"]
        read_only_fields = fields


class ConcernMeasuresUpdateSerializer(serializers.Serializer):
    # Only measures the caller may see: another id is refused as if it did not exist.
    foreign_measures = serializers.ManyRelatedField(
        child_relation=VisibleRelatedField(
            model=ForeignMeasure, queryset=ForeignMeasure.objects.all()
        )
    )
