"""Dependency figures, and the answer of an import."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dialogue.api.fields import StrictCharField, VisibleRelatedField, visible_many
from dialogue.api.serializers.common import VersionedSerializer
from dialogue.countries import COUNTRIES, country_name
from dialogue.disclosure import sees_global_concern_ids
from dialogue.enums import Marking
from dialogue.models import ChokepointTechnology, Concern, Dependency, Sector, Threat, User
from dialogue.validators import normalize_hs_code


class DependencySerializer(VersionedSerializer):
    sector = VisibleRelatedField(model=Sector, public=True)
    sector_code = StrictCharField(source="sector.code", read_only=True)
    country = serializers.ChoiceField(
        choices=sorted(COUNTRIES), help_text="ISO 3166-1 alpha-2 code, e.g. CN."
    )
    country_name = serializers.SerializerMethodField()
    threats = visible_many(Threat)
    concerns = visible_many(
        Concern,
        help_text="Linked concerns (officials only; empty for company users, who never "
        "see global concern ids).",
    )
    chokepoints = visible_many(ChokepointTechnology)
    named_users = visible_many(User)

    class Meta:
        model = Dependency
        fields = [
            "id",
            "product",
            "hs_code",
            "sector",
            "sector_code",
            "stage",
            "country",
            "country_name",
            "share_pct",
            "basis",
            "year",
            "import_value",
            "source",
            "source_passage",
            "precision",
            "threats",
            "concerns",
            "chokepoints",
            "marking",
            "named_users",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_country_name(self, obj: Dependency) -> str:
        return country_name(obj.country)

    def validate_hs_code(self, value: str) -> str:
        return normalize_hs_code(value)

    def get_fields(self):
        fields = super().get_fields()
        # "2811.11" is accepted and stored as "281111"; the model checks the digits.
        fields["hs_code"].validators = []
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not sees_global_concern_ids(request.user):
            data["concerns"] = []
        return data


class DependencyImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV (UTF-8 or Shift_JIS) or XLSX; docs/dependencies.md."
    )
    marking = serializers.ChoiceField(
        choices=[m for m in Marking.values if m != Marking.RED],
        default=Marking.AMBER,
        help_text="The marking of new figures (existing figures keep theirs).",
    )
    dry_run = serializers.BooleanField(
        default=True,
        help_text="true (the default): report what would change, save nothing.",
        error_messages={"invalid": _("Send true or false.")},
    )


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The spreadsheet's row number (header = 1; 0 = file).")
    column = StrictCharField()
    message = StrictCharField()


class ImportChangeSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["create", "update", "unchanged"])
    sector = StrictCharField()
    product = StrictCharField()
    hs_code = StrictCharField()
    country = StrictCharField()
    country_name = StrictCharField()
    year = serializers.IntegerField()
    basis = StrictCharField()
    share_pct = serializers.DecimalField(max_digits=5, decimal_places=2)
    previous_share_pct = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class DependencyImportErrorsSerializer(serializers.Serializer):
    file = serializers.ListField(
        child=StrictCharField(), required=False, help_text="A problem with the whole file."
    )
    # Shadows Serializer.errors, which this output-only serializer never uses.
    errors = ImportErrorSerializer(many=True, required=False)  # type: ignore[assignment]


class DependencyImportReportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    saved = serializers.BooleanField()
    layout = StrictCharField(help_text="trade (import values) or shares (a share table).")
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    changes = ImportChangeSerializer(many=True)
    # The answer's key is "errors", as in every error answer (it shadows Serializer.errors,
    # which this output-only serializer never uses).
    errors = ImportErrorSerializer(many=True)  # type: ignore[assignment]
