"""Follow-up actions."""

from django.db.models import Case, F, When

from dialogue.api import filters
from dialogue.api.querying import annotate_visible, prefetch_visible
from dialogue.api.serializers.actions import ActionSerializer
from dialogue.api.views.base import ServiceViewSet
from dialogue.models import Concern, DialogueSession, FollowUpAction, Threat, User
from dialogue.services.actions import action_change_status, action_create, action_update


class ActionViewSet(ServiceViewSet):
    model = FollowUpAction
    serializer_class = ActionSerializer
    filterset_class = filters.ActionFilter
    ordering_fields = ["id", "due_on", "created_at", "priority", "status"]

    def scope(self, queryset):
        user = self.request.user
        queryset = annotate_visible(
            queryset.select_related("owner", "sector"),
            user,
            {"owner": User, "session": DialogueSession, "threat": Threat, "concern": Concern},
        )
        # A GREEN action may be owned by another company's user: name the owner only to those
        # who may see that user.
        queryset = queryset.annotate(
            owner_name=Case(When(owner_visible=True, then=F("owner__username")), default=None)
        )
        return prefetch_visible(queryset, user, {"named_users": User})

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
