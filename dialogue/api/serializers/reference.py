"""The caller, sectors, threat codes and organizations."""

from rest_framework import serializers

from dialogue.api.fields import StrictCharField, visible_many
from dialogue.api.serializers.common import ApiModelSerializer
from dialogue.models import Organization, Sector, ThreatCategory, User


class MeSerializer(ApiModelSerializer):
    sectors = serializers.SlugRelatedField[Sector](slug_field="code", many=True, read_only=True)
    organization = serializers.PrimaryKeyRelatedField[Organization](read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "role", "sectors", "organization", "language"]
        read_only_fields = fields


class SectorSerializer(ApiModelSerializer):
    # The serializer metaclass takes declared fields off the class, so the name does not
    # replace Field.parent at run time, whatever the stubs see.
    parent = serializers.SlugRelatedField[Sector](  # type: ignore[assignment]
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Sector
        fields = [
            "id",
            "code",
            "kind",
            "name_ja",
            "name_en",
            "parent",
            "designated_critical_product",
        ]
        read_only_fields = fields


class ThreatCategorySerializer(ApiModelSerializer):
    parent_code = StrictCharField(
        source="parent.code", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = ThreatCategory
        fields = ["code", "name_ja", "name_en", "description_ja", "description_en", "parent_code"]
        read_only_fields = fields


class OrganizationSerializer(ApiModelSerializer):
    sectors = visible_many(Sector)

    class Meta:
        model = Organization
        fields = ["id", "name", "name_en", "corporate_number", "kind", "size_class", "sectors"]
