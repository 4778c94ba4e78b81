"""Pieces shared by the register serializers."""

from rest_framework import serializers

from dialogue.enums import Marking
from dialogue.models import ThreatCategory


class VersionedSerializer(serializers.ModelSerializer):
    """`version` is shown on reads; an update sends it back (or If-Match): a stale value gets
    409, none at all 428."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=(
            'The version you read. An update needs it (here or as If-Match: "<version>"): '
            "without it 428, based on an older version 409; nothing is saved."
        ),
    )
    marking = serializers.ChoiceField(choices=Marking.choices, required=False)


class ThreatCodeField(serializers.SlugRelatedField):
    """A leaf threat code such as "1-2"."""

    def __init__(self, **kwargs):
        super().__init__(
            slug_field="code",
            queryset=ThreatCategory.objects.filter(parent__isnull=False),
            **kwargs,
        )

    def to_internal_value(self, data):
        # No code holds a NUL, and PostgreSQL could not even look one up (Django's
        # ModelChoiceField checks this; DRF's SlugRelatedField does not).
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)
