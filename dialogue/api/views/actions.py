"""Follow-up actions."""

from dialogue.api.querying import Related
from dialogue.api.serializers.actions import ActionSerializer
from dialogue.api.views.base import ServiceViewSet
from dialogue.lists.actions import ACTIONS
from dialogue.models import Concern, DialogueSession, FollowUpAction, Threat, User
from dialogue.services.actions import action_change_status, action_create, action_update


class ActionViewSet(ServiceViewSet):
    model = FollowUpAction
    serializer_class = ActionSerializer
    filterset_class = ACTIONS.api.filterset_class
    ordering_fields = ACTIONS.api.ordering_fields
    ordering = ACTIONS.api.default_ordering

    related = (
        # A GREEN action may be owned by another company's user: name the owner only to those
        # who may see that user.
        Related("owner", User, values={"owner_name": "username"}),
        Related("session", DialogueSession),
        Related("threat", Threat),
        Related("concern", Concern, values={"concern_reference": "reference"}),
        Related("named_users", User),
    )

    def scope(self, queryset):
        return queryset.select_related("sector")

    def service_create(self, data):
        data.pop("status", None)
        data.pop("completion_note", None)
        return action_create(actor=self.request.user, **data)

    def service_update(self, action, data, expected_version):
        status = data.pop("status", None)
        note = data.pop("completion_note", "")
        if data:
            action = action_update(
                action=action,
                actor=self.request.user,
                changes=data,
                expected_version=expected_version,
            )
            expected_version = None
        if status and status != action.status:
            action = action_change_status(
                action=action,
                actor=self.request.user,
                status=status,
                completion_note=note,
                expected_version=expected_version,
            )
        return action
