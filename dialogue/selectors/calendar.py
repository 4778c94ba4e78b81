"""What a person's calendar feed lists: the sessions they created or that concern their
sectors (from 90 days back), and the due dates of the open actions they own.

No title above TLP:GREEN leaves the workspace this way: such an entry reads
"TLP:AMBER session #12" and links to the page, which asks to sign in.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue.enums import ActionStatus, Marking
from dialogue.exports.ical import CalendarEntry
from dialogue.models import DialogueSession, FollowUpAction
from dialogue.permissions import is_secretariat
from dialogue.querysets import official_sector_id_list

if TYPE_CHECKING:
    from dialogue.models import User

SHOWN_MARKINGS = {Marking.CLEAR, Marking.GREEN}
PAST_DAYS = 90


def my_sessions(user: User) -> QuerySet[DialogueSession, Any]:
    since = timezone.localdate() - datetime.timedelta(days=PAST_DAYS)
    sessions = DialogueSession.objects.visible_to(user).filter(held_on__gte=since)
    mine = Q(created_by=user)
    if not is_secretariat(user):
        in_my_sectors = DialogueSession.objects.filter(sectors__in=official_sector_id_list(user))
        mine |= Q(pk__in=in_my_sectors.values("pk"))
    return sessions.filter(mine).order_by("held_on", "pk")


def my_actions(user: User) -> QuerySet[FollowUpAction, Any]:
    return (
        FollowUpAction.objects.visible_to(user)
        .filter(owner=user, status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
        .order_by("due_on", "pk")
    )


def _summary(*, kind: str, pk: int, title: str, marking: str) -> str:
    if marking in SHOWN_MARKINGS:
        return title
    return f"TLP:{marking} {kind} #{pk}"


def calendar_entries(user: User) -> list[CalendarEntry]:
    """The feed's events, in the active language."""
    entries = [
        CalendarEntry(
            uid=f"session-{session.pk}",
            day=session.held_on,
            summary=_summary(
                kind=_("session"), pk=session.pk, title=session.title, marking=session.marking
            ),
            path=reverse("workspace:session-detail", args=[session.pk]),
            public=session.marking in SHOWN_MARKINGS,
        )
        for session in my_sessions(user).only("pk", "title", "held_on", "marking")
    ]
    for action in my_actions(user).only("pk", "title", "due_on", "marking"):
        title = _summary(kind=_("action"), pk=action.pk, title=action.title, marking=action.marking)
        entries.append(
            CalendarEntry(
                uid=f"action-{action.pk}",
                day=action.due_on,
                summary=_("Due: %(title)s") % {"title": title},
                path=reverse("workspace:action-detail", args=[action.pk]),
                public=action.marking in SHOWN_MARKINGS,
            )
        )
    return entries
