"""International forums as officials see them: the index, one forum's meetings, its open
actions and the topics raised there across sectors, and agenda items with their links.

Every row comes from `visible_to(user)`: a meeting the reader may not see is not listed
or counted, and an agenda item's threat, chokepoint or dependency the reader may not see
is hidden (never shown as an id).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dialogue.models import (
    AgendaItem,
    DialogueSession,
    FollowUpAction,
    Forum,
)

if TYPE_CHECKING:
    from dialogue.models import User


def agenda_with_links(items: QuerySet[AgendaItem], user: User) -> list[AgendaItem]:
    """The agenda items with `threat_shown`, `chokepoint_shown` and `dependency_shown`: the
    linked record when the reader may see it, else None. One query for the items and one
    per kind of link that occurs."""
    rows = list(
        items.select_related(
            "threat__sector", "threat__category", "chokepoint__sector", "dependency__sector"
        )
    )
    for name, model in AgendaItem.link_models().items():
        ids = {getattr(row, f"{name}_id") for row in rows} - {None}
        seen = set(
            model.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
            if ids
            else []
        )
        for row in rows:
            linked = getattr(row, name) if getattr(row, f"{name}_id") in seen else None
            setattr(row, f"{name}_shown", linked)
    return rows


def forum_index(user: User) -> list[Forum]:
    """Every forum with `meeting_count` (meetings the reader may see) and `last_held_on`."""
    visible = DialogueSession.objects.visible_to(user).filter(forum=OuterRef("pk"))
    counted = visible.order_by().values("forum").annotate(n=Count("pk")).values("n")
    last = visible.order_by("-held_on").values("held_on")[:1]
    return list(
        Forum.objects.visible_to(user)
        .annotate(meeting_count=Coalesce(Subquery(counted), 0), last_held_on=Subquery(last))
        .order_by("sort_order", "code")
    )


@dataclass(frozen=True)
class SectorTopics:
    """The agenda items of a forum's meetings that raise records of one sector."""

    sector: Any
    items: list[AgendaItem]


@dataclass(frozen=True)
class ForumPage:
    forum: Forum
    meetings: list[DialogueSession]
    open_actions: list[FollowUpAction]
    topics: list[AgendaItem]
    by_sector: list[SectorTopics]


def _by_sector(items: Iterable[AgendaItem]) -> list[SectorTopics]:
    groups: dict[int, SectorTopics] = {}
    for item in items:
        sectors = {
            linked.sector.pk: linked.sector
            for linked in (getattr(item, f"{name}_shown") for name in AgendaItem.LINK_FIELDS)
            if linked is not None
        }
        for sector in sectors.values():
            groups.setdefault(sector.pk, SectorTopics(sector=sector, items=[])).items.append(item)
    return sorted(groups.values(), key=lambda group: (group.sector.sort_order, group.sector.code))


def forum_page(user: User, forum: Forum) -> ForumPage:
    """One forum: its meetings, the open actions agreed there, and the topics raised."""
    sessions = DialogueSession.objects.visible_to(user).filter(forum=forum)
    meetings = list(sessions.prefetch_related("sectors").order_by("-held_on", "-id"))
    open_actions = list(
        FollowUpAction.objects.visible_to(user)
        .open()
        .filter(session__in=sessions.values("pk"))
        .select_related("sector", "owner", "session")
        .order_by("due_on", "pk")
    )
    topics = agenda_with_links(
        AgendaItem.objects.filter(session__in=sessions.values("pk"))
        .select_related("session")
        .order_by("-session__held_on", "session_id", "position", "id"),
        user,
    )
    return ForumPage(
        forum=forum,
        meetings=meetings,
        open_actions=open_actions,
        topics=topics,
        by_sector=_by_sector(topics),
    )
