"""Dialogue sessions with their participants and agenda."""

from rest_framework import serializers

from dialogue.api.fields import VisibleRelatedField, visible_many
from dialogue.api.serializers.common import ApiModelSerializer, VersionedSerializer, allowed_changes
from dialogue.enums import AgendaTopic, SessionStatus
from dialogue.models import (
    AgendaItem,
    ChokepointTechnology,
    Dependency,
    DialogueSession,
    Forum,
    Organization,
    Participant,
    Sector,
    Threat,
    User,
)
from dialogue.workflows import SESSION_TRANSITIONS


class ParticipantSerializer(ApiModelSerializer):
    # The session's participants are already limited to what the caller may see.
    organization = VisibleRelatedField(
        model=Organization, public=True, required=False, allow_null=True
    )

    class Meta:
        model = Participant
        fields = ["name", "organization", "affiliation"]


class AgendaItemSerializer(ApiModelSerializer):
    topic = serializers.ChoiceField(choices=AgendaTopic.choices)
    # Shown only where the caller may see the linked record (SessionViewSet marks them).
    threat = VisibleRelatedField(model=Threat, required=False, allow_null=True)
    chokepoint = VisibleRelatedField(model=ChokepointTechnology, required=False, allow_null=True)
    dependency = VisibleRelatedField(model=Dependency, required=False, allow_null=True)

    class Meta:
        model = AgendaItem
        fields = ["topic", "note", "threat", "chokepoint", "dependency"]


class SessionSerializer(VersionedSerializer):
    # Optional when the session belongs to a forum: at least one of the two (the service
    # says so). So no minItems: an international session may name no sector.
    sectors = visible_many(
        Sector,
        required=False,
        allow_empty=True,
        help_text="Sector ids. At least one, unless the session belongs to a `forum` (an "
        "international session), for which they are optional.",
    )
    forum = VisibleRelatedField(model=Forum, required=False, allow_null=True)
    participating_organizations = visible_many(Organization)
    participants = ParticipantSerializer(many=True, required=False)
    agenda = AgendaItemSerializer(many=True, required=False, source="agenda_items")
    chokepoints = visible_many(ChokepointTechnology)
    named_users = visible_many(User)
    status = serializers.ChoiceField(
        choices=SessionStatus.choices,
        required=False,
        help_text=allowed_changes(SESSION_TRANSITIONS),
    )

    class Meta:
        model = DialogueSession
        fields = [
            "id",
            "title",
            "sectors",
            "forum",
            "held_on",
            "format",
            "status",
            "marking",
            "participating_organizations",
            "participants",
            "agenda",
            "minutes",
            "chokepoints",
            "named_users",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["created_at", "updated_at"]
