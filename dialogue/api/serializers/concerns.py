"""Concerns, their message threads and attachments."""

from django.urls import reverse
from rest_framework import serializers

from dialogue.api.fields import StrictCharField, VisibleRelatedField, visible_many
from dialogue.api.serializers.common import (
    ApiModelSerializer,
    ThreatCodeField,
    VersionedSerializer,
    allowed_changes,
)
from dialogue.disclosure import sees_global_concern_ids
from dialogue.enums import ConcernStatus, DesiredSupport
from dialogue.models import (
    Concern,
    ConcernAttachment,
    ConcernMessage,
    Organization,
    Sector,
    User,
)
from dialogue.workflows import CONCERN_TRANSITIONS


class ConcernSerializer(VersionedSerializer):
    organization = serializers.PrimaryKeyRelatedField[Organization](read_only=True)
    organization_name = StrictCharField(source="organization.name", read_only=True)
    sector = VisibleRelatedField(model=Sector, public=True)
    category = ThreatCodeField()
    desired_support = serializers.ChoiceField(choices=DesiredSupport.choices)
    status = serializers.ChoiceField(
        choices=ConcernStatus.choices,
        required=False,
        help_text=allowed_changes(CONCERN_TRANSITIONS),
    )
    assigned_to = VisibleRelatedField(model=User, required=False, allow_null=True)
    named_users = visible_many(User)
    reference = StrictCharField(
        read_only=True,
        help_text=(
            "The organization's own number for the concern (2026-0003: year of submission, "
            "then a counter within the organization and that year). Company users address "
            "concerns by it; `id` is shown to officials only."
        ),
    )

    class Meta:
        model = Concern
        fields = [
            "id",
            "reference",
            "organization",
            "organization_name",
            "sector",
            "category",
            "title",
            "description",
            "desired_support",
            "status",
            "marking",
            "assigned_to",
            "named_users",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        # The global id would tell a company how many concerns all companies filed. (The
        # schema is generated without a signed-in user: it documents `id` for officials.)
        if user is not None and user.is_authenticated and not sees_global_concern_ids(user):
            fields.pop("id")
        return fields


class ConcernSubmitSerializer(ConcernSerializer):
    """What a company user sends to submit a concern.

    Status, assignee and named people are for the sector's officials to set later: shown
    in the answer, never taken from the submitter (sent anyway, they are ignored).
    """

    status = serializers.ChoiceField(choices=ConcernStatus.choices, read_only=True)
    assigned_to = VisibleRelatedField(model=User, read_only=True)
    named_users = visible_many(User, read_only=True)


class ConcernMessageSerializer(ApiModelSerializer):
    author = StrictCharField(source="author.username", read_only=True)
    is_internal = serializers.BooleanField(
        default=False, help_text="Internal notes: officials only, never shown to company users."
    )

    class Meta:
        model = ConcernMessage
        fields = ["id", "author", "body", "is_internal", "created_at"]
        read_only_fields = ["created_at"]


class ConcernAttachmentSerializer(ApiModelSerializer):
    file = serializers.FileField(
        write_only=True, help_text="PDF, Office, image or text; at most 10 MB."
    )
    download_url = serializers.SerializerMethodField()
    uploaded_by = StrictCharField(source="uploaded_by.username", read_only=True)

    class Meta:
        model = ConcernAttachment
        fields = [
            "id",
            "file",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "download_url",
            "created_at",
        ]
        read_only_fields = ["original_name", "content_type", "size", "sha256", "created_at"]

    def get_download_url(self, attachment) -> str:
        # The key the caller named the concern by: its id, or a company's reference number.
        concern_key = self.context.get("concern_key") or attachment.concern_id
        path = reverse(
            "api:concern-attachment-download",
            kwargs={"concern_pk": concern_key, "pk": attachment.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
