"""Concerns, their message threads and attachments."""

from django.urls import reverse
from rest_framework import serializers

from dialogue.api.fields import VisibleRelatedField, visible_many
from dialogue.api.serializers.common import ThreatCodeField, VersionedSerializer
from dialogue.enums import ConcernStatus, DesiredSupport
from dialogue.models import Concern, ConcernAttachment, ConcernMessage, Sector, User


class ConcernSerializer(VersionedSerializer):
    organization = serializers.PrimaryKeyRelatedField(read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    sector = VisibleRelatedField(model=Sector, public=True)
    category = ThreatCodeField()
    desired_support = serializers.ChoiceField(choices=DesiredSupport.choices)
    status = serializers.ChoiceField(choices=ConcernStatus.choices, required=False)
    assigned_to = VisibleRelatedField(model=User, required=False, allow_null=True)
    named_users = visible_many(User)

    class Meta:
        model = Concern
        fields = [
            "id",
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


class ConcernMessageSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    is_internal = serializers.BooleanField(
        default=False, help_text="Internal notes: officials only, never shown to company users."
    )

    class Meta:
        model = ConcernMessage
        fields = ["id", "author", "body", "is_internal", "created_at"]
        read_only_fields = ["created_at"]


class ConcernAttachmentSerializer(serializers.ModelSerializer):
    file = serializers.FileField(
        write_only=True, help_text="PDF, Office, image or text; at most 10 MB."
    )
    download_url = serializers.SerializerMethodField()
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)

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
        path = reverse(
            "api:concern-attachment-download",
            kwargs={"concern_pk": attachment.concern_id, "pk": attachment.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
