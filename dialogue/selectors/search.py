"""Search across the workspace: threats, chokepoints, sessions, concerns and actions.

Substring search (icontains), which works for Japanese without a tokenizer:
every word must occur in one of the searched fields. Words are split on any
white space, the full-width space included, and a word typed in full-width
letters or digits (ＡＩ, ２０２６) also matches its half-width form. Each group is
limited to `limit` rows with the total beside it, all within `visible_to(user)`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from dialogue.models import (
    ChokepointTechnology,
    Concern,
    DialogueSession,
    FollowUpAction,
    Threat,
)
from dialogue.selectors.dashboard import panel, sessions_with_sectors

if TYPE_CHECKING:
    from dialogue.models import User

SEARCH_LIMIT = 20
MAX_WORDS = 8
MAX_WORD_LENGTH = 100


@dataclass(frozen=True)
class SearchGroup:
    kind: str  # "threats", "chokepoints", "sessions", "concerns", "actions"
    items: list
    total: int


def search_words(query: str) -> list[str]:
    words = [word[:MAX_WORD_LENGTH] for word in (query or "").split()]
    return words[:MAX_WORDS]


def matching(queryset: QuerySet, fields: tuple[str, ...], words: list[str]) -> QuerySet:
    condition = Q()
    for word in words:
        variants = {word, unicodedata.normalize("NFKC", word)}
        per_word = Q()
        for variant in variants:
            for name in fields:
                per_word |= Q(**{f"{name}__icontains": variant})
        condition &= per_word
    return queryset.filter(condition)


def workspace_search(user: User, query: str, limit: int = SEARCH_LIMIT) -> list[SearchGroup]:
    """Grouped results; no words, no groups (and no query)."""
    words = search_words(query)
    if not words:
        return []
    sources = [
        (
            "threats",
            Threat.objects.visible_to(user)
            .select_related("sector", "category")
            .order_by("-updated_at", "-pk"),
            ("title", "description"),
        ),
        (
            "chokepoints",
            ChokepointTechnology.objects.visible_to(user)
            .select_related("sector")
            .order_by("-updated_at", "-pk"),
            ("name", "description", "holders"),
        ),
        (
            "sessions",
            sessions_with_sectors(DialogueSession.objects.visible_to(user)).order_by(
                "-held_on", "-pk"
            ),
            ("title", "minutes"),
        ),
        (
            "concerns",
            Concern.objects.visible_to(user)
            .select_related("sector", "category", "organization")
            .order_by("-created_at", "-pk"),
            ("title", "description"),
        ),
        (
            "actions",
            FollowUpAction.objects.visible_to(user)
            .select_related("sector", "owner")
            .order_by("due_on", "pk"),
            ("title", "description"),
        ),
    ]
    groups = []
    for kind, queryset, fields in sources:
        result = panel(matching(queryset, fields, words), limit)
        groups.append(SearchGroup(kind=kind, items=result.items, total=result.total))
    return groups
