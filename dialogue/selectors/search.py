"""Search across the workspace: threats, chokepoints, sessions, concerns, actions, notices.

Every word must occur in one of the searched fields (text_search.py: one
implementation for this page and the API's `search` filter, indexed on
PostgreSQL). Each group is limited to `limit` rows with the total beside it,
counted up to COUNT_CAP, all within `visible_to(user)`; a frequent word's rows are
read along the group's order (`search_page`), which the indexes on updated_at,
held_on, created_at and due_on serve.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from dialogue.models import (
    ChokepointTechnology,
    Concern,
    DialogueSession,
    FollowUpAction,
    Notice,
    Threat,
)
from dialogue.selectors.dashboard import sessions_with_sectors
from dialogue.text_search import search_page, search_words

if TYPE_CHECKING:
    from dialogue.models import User

SEARCH_LIMIT = 20


@dataclass(frozen=True)
class SearchGroup:
    kind: str  # "threats", "chokepoints", "sessions", "concerns", "actions", "notices"
    items: list[Any]
    total: int  # counted up to text_search.COUNT_CAP
    more: bool = False  # more than `total` match


def workspace_search(user: User, query: str, limit: int = SEARCH_LIMIT) -> list[SearchGroup]:
    """Grouped results; no words, no groups (and no query)."""
    words = search_words(query)
    if not words:
        return []
    sources: list[tuple[str, QuerySet[Any]]] = [
        (
            "threats",
            Threat.objects.visible_to(user)
            .select_related("sector", "category")
            .order_by("-updated_at", "-pk"),
        ),
        (
            "chokepoints",
            ChokepointTechnology.objects.visible_to(user)
            .select_related("sector")
            .order_by("-updated_at", "-pk"),
        ),
        (
            "sessions",
            sessions_with_sectors(DialogueSession.objects.visible_to(user)).order_by(
                "-held_on", "-pk"
            ),
        ),
        (
            "concerns",
            Concern.objects.visible_to(user)
            .select_related("sector", "category", "organization")
            .order_by("-created_at", "-pk"),
        ),
        (
            "actions",
            FollowUpAction.objects.visible_to(user)
            .select_related("sector", "owner")
            .order_by("due_on", "pk"),
        ),
        (
            "notices",
            Notice.objects.visible_to(user).order_by("-updated_at", "-pk"),
        ),
    ]
    groups = []
    for kind, queryset in sources:
        items, total, more = search_page(queryset, words, limit)
        groups.append(SearchGroup(kind, items, total, more))
    return groups
