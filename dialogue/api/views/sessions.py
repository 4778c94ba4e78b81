"""Dialogue sessions."""

from django.db.models import Exists, OuterRef, Prefetch

from dialogue.api.querying import Related
from dialogue.api.serializers.sessions import SessionSerializer
from dialogue.api.views.base import ServiceViewSet
from dialogue.lists.sessions import SessionFilter
from dialogue.models import (
    AgendaItem,
    ChokepointTechnology,
    DialogueSession,
    Forum,
    Organization,
    Participant,
    Sector,
    User,
)
from dialogue.services.sessions import session_change_status, session_create, session_update


class SessionViewSet(ServiceViewSet):
    model = DialogueSession
    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    ordering_fields = ["id", "held_on", "created_at", "title"]

    related = (
        Related("sectors", Sector),
        Related("forum", Forum),
        Related("participating_organizations", Organization),
        Related("chokepoints", ChokepointTechnology),
        Related("named_users", User),
    )

    def scope(self, queryset):
        user = self.request.user
        return queryset.prefetch_related(
            Prefetch("participants", queryset=Participant.objects.visible_to(user).order_by("id")),
            # What an agenda item raises is shown only where the caller may see it: marked
            # in the one query of the agenda (a page holds few items per session).
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.visible_to(user).annotate(
                    **{
                        f"{name}_visible": Exists(
                            model.objects.visible_to(user).filter(pk=OuterRef(f"{name}_id"))
                        )
                        for name, model in AgendaItem.link_models().items()
                    }
                ),
            ),
        )

    @staticmethod
    def _nested(data: dict) -> tuple[list | None, list | None]:
        participants = data.pop("participants", None)
        agenda = data.pop("agenda_items", None)
        return (
            [dict(p) for p in participants] if participants is not None else None,
            [dict(a) for a in agenda] if agenda is not None else None,
        )

    def service_create(self, data):
        data.pop("status", None)
        data.setdefault("sectors", [])
        participants, agenda = self._nested(data)
        return session_create(
            actor=self.request.user, participants=participants or [], agenda=agenda or [], **data
        )

    def service_update(self, session, data, expected_version):
        status = data.pop("status", None)
        participants, agenda = self._nested(data)
        if data or participants is not None or agenda is not None:
            session = session_update(
                session=session,
                actor=self.request.user,
                changes=data,
                participants=participants,
                agenda=agenda,
                expected_version=expected_version,
            )
            expected_version = None
        if status and status != session.status:
            session = session_change_status(
                session=session,
                actor=self.request.user,
                status=status,
                expected_version=expected_version,
            )
        return session
