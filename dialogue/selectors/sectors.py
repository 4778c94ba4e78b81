"""Sectors as officials see them: the index with counts, and one sector's overview.

A domain's figures include its sectors', as the register filters do (a domain
code selects the domain and its children). Counts and rows come only from
`visible_to(user)`; concern counts are shown through `disclosure.concern_count` (the
k ≥ 3 rule), and a domain adds up only its sectors' counts that are shown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, F, Q, QuerySet, When

from dialogue.disclosure import concern_count, count_is_shown
from dialogue.models import (
    ChokepointTechnology,
    Concern,
    DialogueSession,
    FollowUpAction,
    Sector,
    Threat,
)
from dialogue.permissions import is_secretariat
from dialogue.querysets import official_sector_id_list
from dialogue.selectors.dashboard import Panel, panel, sessions_with_sectors

if TYPE_CHECKING:
    from dialogue.models import User

OVERVIEW_SIZE = 5


@dataclass
class SectorCounts:
    threats: int = 0
    chokepoints: int = 0
    sessions: int = 0
    open_actions: int = 0
    concerns: int | str = 0  # as shown: a number, or "fewer than 3"

    def add(self, other: SectorCounts) -> None:
        for name in ("threats", "chokepoints", "sessions", "open_actions"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _concern_counts(queryset: QuerySet[Any]) -> dict[int, tuple[int, int]]:
    """Concerns and distinct organizations behind them, per sector."""
    rows = (
        queryset.order_by()
        .values("sector")
        .annotate(n=Count("pk", distinct=True), organizations=Count("organization", distinct=True))
    )
    return {row["sector"]: (row["n"], row["organizations"]) for row in rows}


@dataclass
class SectorEntry:
    sector: Sector
    counts: SectorCounts
    is_mine: bool
    children: list[SectorEntry] = field(default_factory=list)


def _my_sector_ids(user: User) -> set[int] | None:
    """The sectors the user works on, or None for "all" (the secretariat)."""
    if is_secretariat(user):
        return None
    return set(official_sector_id_list(user))


def _counted(queryset: QuerySet[Any], field_name: str = "sector") -> Counter[int]:
    rows = queryset.order_by().values(field_name).annotate(n=Count("pk", distinct=True))
    return Counter({row[field_name]: row["n"] for row in rows})


def sector_index(user: User) -> list[SectorEntry]:
    """Domains with their sectors, then the sectors outside any domain (eight queries)."""
    threats = _counted(Threat.objects.visible_to(user))
    chokepoints = _counted(ChokepointTechnology.objects.visible_to(user))
    visible_sessions = DialogueSession.objects.visible_to(user)
    sessions = _counted(visible_sessions, "sectors")
    # A session held for two sectors of one domain is one session of that domain.
    sessions_by_top = _counted(
        visible_sessions.annotate(
            top=Case(
                When(sectors__parent__isnull=True, then=F("sectors")),
                default=F("sectors__parent"),
            )
        ),
        "top",
    )
    actions = _counted(FollowUpAction.objects.visible_to(user).open())
    concerns = _concern_counts(Concern.objects.visible_to(user))
    mine = _my_sector_ids(user)

    def entry(sector: Sector) -> SectorEntry:
        return SectorEntry(
            sector=sector,
            counts=SectorCounts(
                threats=threats[sector.pk],
                chokepoints=chokepoints[sector.pk],
                sessions=sessions[sector.pk],
                open_actions=actions[sector.pk],
                concerns=concern_count(*concerns.get(sector.pk, (0, 0))),
            ),
            is_mine=mine is None or sector.pk in mine,
        )

    sectors = list(Sector.objects.visible_to(user).order_by("sort_order", "code"))
    entries = {sector.pk: entry(sector) for sector in sectors}
    top: list[SectorEntry] = []
    for sector in sectors:
        current = entries[sector.pk]
        parent = entries.get(sector.parent_id) if sector.parent_id else None
        if parent is None:
            top.append(current)
        else:
            parent.children.append(current)
    for current in top:
        # Threats, chokepoints, actions and concerns have one sector each: a domain's
        # figure is the sum of its own and its sectors' rows. Sessions are counted apart.
        for child in current.children:
            current.counts.add(child.counts)
        current.counts.sessions = sessions_by_top[current.sector.pk]
        if current.children:
            own = [current.sector.pk, *(child.sector.pk for child in current.children)]
            current.counts.concerns = shown_concerns(own, concerns)
    return top


def shown_concerns(sector_ids: list[int], concerns: dict[int, tuple[int, int]]) -> int | str:
    """Concerns of one sector, or of a domain and its sectors, as shown.

    One sector: `concern_count`. Several: the sum of the counts shown for each, so that no
    small count can be worked out by subtraction; "fewer than 3" when none is shown.
    """
    if len(sector_ids) == 1:
        return concern_count(*concerns.get(sector_ids[0], (0, 0)))
    shown = [
        concerns[pk][0] for pk in sector_ids if pk in concerns and count_is_shown(concerns[pk][1])
    ]
    return sum(shown) if shown else concern_count(0, 0)


@dataclass(frozen=True)
class SectorOverview:
    sector: Sector
    children: list[Sector]
    is_mine: bool
    threats: Panel
    chokepoints: Panel
    sessions: Panel
    open_actions: Panel
    concerns: Panel
    concern_count: int | str  # the headline figure, through the k ≥ 3 rule


def sector_overview(user: User, sector: Sector, size: int = OVERVIEW_SIZE) -> SectorOverview:
    """Everything about one sector (and, for a domain, its sectors) that `user` may see."""
    children = list(sector.children.order_by("sort_order", "code"))
    ids = [sector.pk, *(child.pk for child in children)]
    in_sector = Q(sector__in=ids)
    mine = _my_sector_ids(user)
    session_ids = DialogueSession.objects.filter(sectors__in=ids).values("pk")
    concerns = (
        Concern.objects.visible_to(user)
        .filter(in_sector)
        .select_related("sector", "category", "organization")
        .order_by("-created_at", "-pk")
    )
    # The concern panel's total comes from the per-sector counts: no extra query.
    concern_counts = _concern_counts(concerns)
    return SectorOverview(
        sector=sector,
        children=children,
        is_mine=mine is None or sector.pk in mine,
        threats=panel(
            Threat.objects.visible_to(user)
            .filter(in_sector)
            .select_related("sector", "category")
            .order_by("-severity", "-updated_at", "-pk"),
            size,
        ),
        chokepoints=panel(
            ChokepointTechnology.objects.visible_to(user)
            .filter(in_sector)
            .select_related("sector")
            .order_by("-updated_at", "-pk"),
            size,
        ),
        sessions=panel(
            sessions_with_sectors(
                DialogueSession.objects.visible_to(user).filter(pk__in=session_ids)
            ).order_by("-held_on", "-pk"),
            size,
        ),
        open_actions=panel(
            FollowUpAction.objects.visible_to(user)
            .open()
            .filter(in_sector)
            .select_related("sector", "owner")
            .order_by("due_on", "pk"),
            size,
        ),
        concerns=Panel(
            items=list(concerns[:size]), total=sum(n for n, _ in concern_counts.values())
        ),
        concern_count=shown_concerns(ids, concern_counts),
    )
