"""International forums (reference data for officials)."""

from rest_framework import serializers

from dialogue.api.fields import StrictCharField, visible_many
from dialogue.api.serializers.common import ApiModelSerializer
from dialogue.models import Forum, User


class ForumSerializer(ApiModelSerializer):
    counterpart_countries = serializers.ListField(
        child=StrictCharField(), read_only=True, help_text="ISO 3166 codes (EU: the EU)."
    )
    officials = visible_many(User, read_only=True)

    class Meta:
        model = Forum
        fields = [
            "id",
            "code",
            "name_ja",
            "name_en",
            "counterpart_countries",
            "standing_agenda_ja",
            "standing_agenda_en",
            "officials",
        ]
        read_only_fields = fields
