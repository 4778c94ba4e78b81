"""Follow-up actions and plan revisions."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dialogue.api.fields import (
    StrictCharField,
    VisibleConcernField,
    VisibleRelatedField,
    visible_many,
)
from dialogue.api.serializers.common import ApiModelSerializer, VersionedSerializer, allowed_changes
from dialogue.disclosure import machine_readable
from dialogue.enums import ActionStatus
from dialogue.models import (
    DialogueSession,
    FollowUpAction,
    PlanRevision,
    Sector,
    Threat,
    User,
)
from dialogue.workflows import ACTION_TRANSITIONS, PLAN_REVISION_TRANSITIONS


class ActionSerializer(VersionedSerializer):
    sector = VisibleRelatedField(model=Sector, public=True)
    owner = VisibleRelatedField(model=User)
    owner_name = StrictCharField(
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The owner's user name, only when the caller may see the owner.",
    )
    due_on = serializers.DateField(
        help_text="YYYY-MM-DD",
        # The service's message, in the caller's language.
        error_messages={"invalid": _("Enter the due date as YYYY-MM-DD, e.g. 2026-12-01.")},
    )
    status = serializers.ChoiceField(
        choices=ActionStatus.choices,
        required=False,
        help_text=allowed_changes(ACTION_TRANSITIONS),
    )
    completion_note = StrictCharField(required=False, allow_blank=True)
    session = VisibleRelatedField(model=DialogueSession, required=False, allow_null=True)
    threat = VisibleRelatedField(model=Threat, required=False, allow_null=True)
    concern = VisibleConcernField(required=False, allow_null=True)
    named_users = visible_many(User)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = FollowUpAction
        fields = [
            "id",
            "title",
            "description",
            "sector",
            "owner",
            "owner_name",
            "due_on",
            "is_overdue",
            "status",
            "priority",
            "pillar",
            "session",
            "threat",
            "concern",
            "completion_note",
            "completed_at",
            "marking",
            "named_users",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["completed_at", "created_at", "updated_at"]


class PlanRevisionSerializer(ApiModelSerializer):
    class Meta:
        model = PlanRevision
        fields = ["id", "number", "label", "status", "published_at", "notes", "created_at"]
        read_only_fields = ["number", "label", "status", "published_at", "created_at"]
        extra_kwargs = {"status": {"help_text": allowed_changes(PLAN_REVISION_TRANSITIONS)}}


class ShownDictField(serializers.DictField):
    """A disclosed snapshot mapping: a reference the caller may not see reads as null (a
    list leaves it out), as on the threat API; the change's `hidden` says which fields."""

    def to_representation(self, value):
        def shown(item):
            if isinstance(item, dict):
                return {key: shown(inner) for key, inner in item.items()}
            return machine_readable(item)

        return {str(key): shown(item) for key, item in value.items()}


class PlanRevisionChangeSerializer(serializers.Serializer):
    kind = StrictCharField()
    key = StrictCharField()
    sector = StrictCharField()
    change = serializers.ChoiceField(choices=["added", "removed", "changed"])
    # The serializer metaclass takes declared fields off the class: these names do not
    # replace Serializer.fields and .data at run time, whatever the stubs see.
    fields = ShownDictField(help_text="Changed fields: name → {old, new}.")  # type: ignore[assignment]
    data = ShownDictField(  # type: ignore[assignment]
        help_text=(
            "The item as the revision holds it, as the caller may see it. Concern counts "
            "(`concerns`) are null where fewer than 3 organizations stand behind them."
        )
    )
    hidden = serializers.ListField(
        child=StrictCharField(),
        help_text="Fields naming a record the caller may not see: shown as null, or left "
        "out of a list.",
    )
