"""What an official's dashboard shows.

Everything starts from `visible_to(user)`. Each panel is a fixed number of
queries whatever the number of rows (a count and a slice, plus one prefetch where
a row has many-to-many parts), and the threat heat map is one aggregate query
over the register plus the two reference lists it is laid out on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Count, Model, Prefetch, QuerySet
from django.utils import timezone

from dialogue.enums import ConcernStatus, SectorKind
from dialogue.models import (
    Concern,
    DialogueSession,
    FollowUpAction,
    Sector,
    Threat,
    ThreatCategory,
)
from dialogue.permissions import is_secretariat
from dialogue.querysets import official_sector_id_list

if TYPE_CHECKING:
    from dialogue.models import User

_M = TypeVar("_M", bound=Model)

PANEL_SIZE = 10
HEAT_LEVELS = 5


@dataclass(frozen=True)
class Panel:
    """The first rows of a list and how many there are in all."""

    items: list[Any]
    total: int

    @property
    def has_more(self) -> bool:
        return self.total > len(self.items)


def panel(queryset: QuerySet[Any], size: int = PANEL_SIZE) -> Panel:
    # Always two queries (count, then rows), so the cost does not depend on the data.
    total = queryset.count()
    return Panel(items=list(queryset[:size]), total=total)


def in_my_sectors(queryset: QuerySet[_M], user: User, field: str = "sector") -> QuerySet[_M]:
    """Limit to the user's sectors; the secretariat's sectors are all sectors."""
    if is_secretariat(user):
        return queryset
    return queryset.filter(**{f"{field}__in": official_sector_id_list(user)})


def sessions_with_sectors(queryset: QuerySet[_M]) -> QuerySet[_M]:
    return queryset.prefetch_related(Prefetch("sectors", queryset=Sector.objects.order_by()))


@dataclass(frozen=True)
class HeatCell:
    category: ThreatCategory
    count: int
    level: int  # 0 for none, 1 … HEAT_LEVELS relative to the busiest cell


@dataclass(frozen=True)
class HeatRow:
    sector: Sector
    cells: list[HeatCell]

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)


@dataclass(frozen=True)
class HeatFamily:
    """A threat family (1, 2, 3) heading the columns of its codes."""

    category: ThreatCategory | None
    span: int


@dataclass(frozen=True)
class ThreatHeatMap:
    families: list[HeatFamily]
    categories: list[ThreatCategory]
    rows: list[HeatRow]
    maximum: int
    total: int


def heat_level(count: int, maximum: int) -> int:
    if count <= 0 or maximum <= 0:
        return 0
    return max(1, math.ceil(HEAT_LEVELS * count / maximum))


def threat_heat_map(user: User) -> ThreatHeatMap:
    """Visible threats counted by sector × threat code (three queries)."""
    counts = {
        (row["sector"], row["category"]): row["n"]
        for row in Threat.objects.visible_to(user)
        .order_by()
        .values("sector", "category")
        .annotate(n=Count("pk"))
    }
    used_sectors = {sector_id for sector_id, _ in counts}
    used_categories = {category_id for _, category_id in counts}
    all_categories = list(ThreatCategory.objects.visible_to(user).order_by("sort_order", "code"))
    families = {c.pk: c for c in all_categories if c.parent_id is None}
    categories = [c for c in all_categories if c.parent_id is not None or c.pk in used_categories]
    sectors = [
        s
        for s in Sector.objects.visible_to(user).order_by("sort_order", "code")
        if s.kind == SectorKind.SECTOR or s.pk in used_sectors
    ]
    maximum = max(counts.values(), default=0)
    rows = [
        HeatRow(
            sector=sector,
            cells=[
                HeatCell(
                    category=category,
                    count=counts.get((sector.pk, category.pk), 0),
                    level=heat_level(counts.get((sector.pk, category.pk), 0), maximum),
                )
                for category in categories
            ],
        )
        for sector in sectors
    ]
    return ThreatHeatMap(
        families=_families(categories, families),
        categories=categories,
        rows=rows,
        maximum=maximum,
        total=sum(counts.values()),
    )


def _families(
    categories: list[ThreatCategory], families: dict[int, ThreatCategory]
) -> list[HeatFamily]:
    grouped: list[HeatFamily] = []
    for category in categories:
        family = families.get(category.parent_id) if category.parent_id else None
        if grouped and grouped[-1].category == family:
            grouped[-1] = HeatFamily(category=family, span=grouped[-1].span + 1)
        else:
            grouped.append(HeatFamily(category=family, span=1))
    return grouped


@dataclass(frozen=True)
class Dashboard:
    my_open_actions: Panel
    overdue_actions: Panel
    new_concerns: Panel
    late_concerns: Panel
    recent_sessions: Panel
    upcoming_sessions: Panel
    heat_map: ThreatHeatMap


def dashboard_for(user: User) -> Dashboard:
    today = timezone.localdate()
    actions = FollowUpAction.objects.visible_to(user).select_related("sector", "owner")
    sessions = DialogueSession.objects.visible_to(user)
    concerns = Concern.objects.visible_to(user).select_related("sector", "category", "organization")
    return Dashboard(
        # Ties broken as the lists break them (newest first), so a panel's rows are the
        # first rows of the list its link opens.
        my_open_actions=panel(actions.open().filter(owner=user).order_by("due_on", "-pk")),
        overdue_actions=panel(
            in_my_sectors(actions.overdue(today), user).order_by("due_on", "-pk")
        ),
        new_concerns=panel(
            in_my_sectors(concerns.filter(status=ConcernStatus.SUBMITTED), user).order_by(
                "created_at", "-pk"
            )
        ),
        late_concerns=panel(
            in_my_sectors(concerns.first_response_overdue(today), user).order_by(
                "created_at", "-pk"
            )
        ),
        recent_sessions=panel(
            sessions_with_sectors(sessions.recent(today)).order_by("-held_on", "-pk")
        ),
        upcoming_sessions=panel(
            sessions_with_sectors(sessions.upcoming(today)).order_by("held_on", "-pk")
        ),
        heat_map=threat_heat_map(user),
    )
