"""Outreach notices: officials write them; company users read those addressed to them."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from dialogue.api.fields import StrictCharField, visible_many
from dialogue.api.serializers.common import ApiModelSerializer, not_empty
from dialogue.enums import NoticeStatus, SizeClass
from dialogue.models import (
    BestPractice,
    ChokepointTechnology,
    ForeignMeasure,
    Notice,
    Sector,
    ThreatCategory,
)


class SizeClassesField(serializers.ListField):
    """Company size codes ("large", "sme" …), checked against SizeClass when used, so a
    size class added there is accepted at once."""

    child = StrictCharField(max_length=16)

    def to_internal_value(self, data):
        codes = super().to_internal_value(data)
        unknown = sorted(set(codes) - set(SizeClass.values))
        if unknown:
            raise serializers.ValidationError(
                [
                    _("“%(code)s” is not a company size (%(choices)s).")
                    % {"code": code, "choices": ", ".join(SizeClass.values)}
                    for code in unknown
                ]
            )
        return codes

    def get_attribute(self, instance):
        return instance.size_class_codes


class CodeField(serializers.SlugRelatedField):
    """A sector or threat code; one holding a NUL is no code (PostgreSQL could not even
    look it up)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class NoticeSerializer(ApiModelSerializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text='The version you read; an update needs it (or If-Match: "<version>").',
    )
    title = StrictCharField(read_only=True, help_text="In the caller's language.")
    # Every notice is for at least one sector and one company size (the service and the
    # model say so too): refused here already, so that the schema says it (minItems).
    sectors = serializers.ManyRelatedField(
        child_relation=CodeField(slug_field="code", queryset=Sector.objects.all()),
        validators=[not_empty(gettext_lazy("Choose at least one sector."))],
    )
    size_classes = SizeClassesField(
        validators=[not_empty(gettext_lazy("Choose at least one company size."))]
    )
    threat_categories = CodeField(
        many=True, slug_field="code", queryset=ThreatCategory.objects.all(), required=False
    )
    foreign_measures = visible_many(ForeignMeasure)
    best_practices = visible_many(BestPractice)
    chokepoints = visible_many(ChokepointTechnology)
    status = serializers.ChoiceField(choices=NoticeStatus.choices, read_only=True)
    is_read = serializers.BooleanField(
        read_only=True, default=None, help_text="For company users: whether you have read it."
    )
    read_at = serializers.DateTimeField(read_only=True, default=None)

    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "title",
            "title_ja",
            "title_en",
            "body_ja",
            "body_en",
            "audience",
            "sectors",
            "size_classes",
            "threat_categories",
            "foreign_measures",
            "best_practices",
            "chokepoints",
            "marking",
            "publish_on",
            "status",
            "published_at",
            "withdrawn_at",
            "is_read",
            "read_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["published_at", "withdrawn_at", "created_at", "updated_at"]


class NoticeTransitionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text='The version you read (or send If-Match: "<version>").'
    )

    def __init__(self, *args, if_match: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # With If-Match the version is in the header; without, the body must say it.
        self.fields["version"].required = not if_match


class NoticeReadSerializer(serializers.Serializer):
    notice = serializers.IntegerField(source="notice_id")
    read_at = serializers.DateTimeField()
