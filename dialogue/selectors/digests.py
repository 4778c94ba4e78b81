"""What changed since the last published plan revision, as one person may see it.

Like the plan it reports on, a digest counts no RED item: a stored digest outlives the
moment, and RED items are known only to the people named on them. Concern counts pass
`disclosure.concern_count_or_none` (None: "fewer than 3 organizations").
"""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from dialogue.disclosure import concern_count_or_none
from dialogue.enums import ActionStatus, Marking, PlanRevisionStatus
from dialogue.models import (
    ChokepointTechnology,
    Concern,
    FollowUpAction,
    PlanRevision,
    Threat,
    User,
)
from dialogue.models.base import MarkedModel
from dialogue.querysets import visible_rows

OPEN_STATUSES = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS]

_M = TypeVar("_M", bound=MarkedModel)


def last_published_revision() -> PlanRevision | None:
    return (
        PlanRevision.objects.filter(status=PlanRevisionStatus.PUBLISHED)
        .order_by("-published_at")
        .first()
    )


def _in_sectors(
    queryset: QuerySet[_M], sector_ids: list[int] | None, field: str = "sector"
) -> QuerySet[_M]:
    return queryset if not sector_ids else queryset.filter(**{f"{field}__in": sector_ids})


def _threat_counts(
    queryset: QuerySet[Any], since: datetime.datetime, markings: set[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """New and changed threats by sector and threat code, in one scan of the rows touched
    since `since`; the markings of what is counted are collected on the way."""
    created = Q(created_at__gte=since)
    changed_only = Q(created_at__lt=since, updated_at__gte=since)
    counts: dict[str, dict[tuple[str, str], int]] = {"new": {}, "changed": {}}
    for row in (
        queryset.filter(created | Q(updated_at__gte=since))
        .values("sector__code", "category__code", "marking")
        .annotate(new=Count("pk", filter=created), changed=Count("pk", filter=changed_only))
        .order_by()
    ):
        key = (row["sector__code"], row["category__code"])
        for kind in ("new", "changed"):
            if row[kind]:
                counts[kind][key] = counts[kind].get(key, 0) + row[kind]
                markings.add(row["marking"])
    return _listed(counts["new"]), _listed(counts["changed"])


def _listed(counts: dict[tuple[str, str], int]) -> list[dict[str, Any]]:
    return [{"sector": s, "category": c, "count": n} for (s, c), n in sorted(counts.items())]


def digest_content(
    user: User,
    *,
    since: datetime.datetime | None,
    today: datetime.date,
    sector_ids: list[int] | None = None,
) -> dict[str, Any]:
    """Counts by sector and threat code, new chokepoints, k-anonymous concern counts, and
    actions done and overdue — all from `visible_to(user)`, in a fixed number of queries."""
    since = since or datetime.datetime.min.replace(tzinfo=datetime.UTC)

    def counted(model: type[_M]) -> QuerySet[_M]:
        visible = visible_rows(model, user).exclude(marking=Marking.RED)
        return _in_sectors(visible, sector_ids)

    threats = counted(Threat)
    chokepoints = counted(ChokepointTechnology)
    concerns = counted(Concern)
    actions = counted(FollowUpAction)

    markings: set[str] = set()
    new_threats, changed_threats = _threat_counts(threats, since, markings)
    new_chokepoints = chokepoints.filter(created_at__gte=since)
    markings.update(new_chokepoints.values_list("marking", flat=True).distinct().order_by())

    concern_rows: list[dict[str, Any]] = []
    for row in (
        concerns.filter(created_at__gte=since)
        .values("sector__code", "category__code")
        .annotate(n=Count("pk"), organizations=Count("organization", distinct=True))
        .order_by("sector__code", "category__code")
    ):
        concern_rows.append(
            {
                "sector": row["sector__code"],
                "category": row["category__code"],
                "count": concern_count_or_none(row["n"], row["organizations"]),
            }
        )
    if concern_rows:
        markings.add(Marking.AMBER)

    # Done since the revision and overdue now, by marking, in one pass.
    action_counts = {"done": 0, "overdue": 0}
    for row in (
        actions.values("marking")
        .annotate(
            done=Count("pk", filter=Q(completed_at__gte=since)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
        )
        .order_by()
    ):
        action_counts["done"] += row["done"]
        action_counts["overdue"] += row["overdue"]
        if row["done"] or row["overdue"]:
            markings.add(row["marking"])
    return {
        "since": since.isoformat() if since.year > 1 else None,
        "new_threats": new_threats,
        "changed_threats": changed_threats,
        "new_chokepoints": [
            {"id": c["pk"], "name": c["name"], "sector": c["sector__code"], "marking": c["marking"]}
            for c in new_chokepoints.values("pk", "name", "sector__code", "marking").order_by("pk")[
                : settings.DIGEST_MAX_LISTED
            ]
        ],
        "new_concerns": concern_rows,
        "actions_done": action_counts["done"],
        "actions_overdue": action_counts["overdue"],
        "marking": Marking.highest(markings).value,
    }
