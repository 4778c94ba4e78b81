"""Reads of the support catalogue: which help fits a situation, suggestions for a concern,
and catalogue search. The catalogue is public reference data for every signed-in user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from dialogue.enums import DesiredSupport
from dialogue.models import (
    Concern,
    Sector,
    SupportOrganization,
    SupportScheme,
    ThreatCategory,
)
from dialogue.text_search import matching, search_words

if TYPE_CHECKING:
    from collections.abc import Iterable

    from dialogue.models import User
    from dialogue.models.support import SupportEntry

# The threat code of economic coercion: its concerns are always offered matching schemes,
# as are concerns asking for finance or business continuity.
COERCION_CODE = "3-1"
SUGGESTING_SUPPORT = (DesiredSupport.FINANCE, DesiredSupport.BUSINESS_CONTINUITY)
SEARCH_LIMIT = 20
SUGGESTION_LIMIT = 10


def organizations(user: User) -> QuerySet[SupportOrganization]:
    return SupportOrganization.objects.visible_to(user).prefetch_related(
        "threat_categories", "sectors"
    )


def schemes(user: User) -> QuerySet[SupportScheme]:
    return (
        SupportScheme.objects.visible_to(user)
        .select_related("organization")
        .prefetch_related("threat_categories", "sectors")
    )


def _related_codes(code: str) -> Q:
    """A threat code matches itself, its family and its family's codes ("2" ↔ "2-2")."""
    family = code.split("-")[0]
    return Q(threat_categories__code__in=[code, family]) | Q(threat_categories__parent__code=code)


def _sector_ids(sectors: Iterable[Sector]) -> set[int]:
    ids = set()
    for sector in sectors:
        ids.add(sector.pk)
        if sector.parent_id:
            ids.add(sector.parent_id)
    return ids


def _fits(
    queryset: QuerySet[Any], *, sectors: Iterable[Sector] | None, threat_code: str
) -> QuerySet[Any]:
    queryset = queryset.filter(is_active=True)
    if threat_code:
        queryset = queryset.filter(
            pk__in=queryset.model.objects.filter(_related_codes(threat_code)).values("pk")
        )
    if sectors is not None:
        ids = _sector_ids(sectors)
        for_all = ~Q(
            pk__in=queryset.model.sectors.through.objects.values(queryset.model._meta.model_name)
        )
        queryset = queryset.filter(
            for_all | Q(pk__in=queryset.model.objects.filter(sectors__in=ids).values("pk"))
        )
    return queryset


def _sized(entries: Iterable[SupportEntry], size_class: str) -> list[Any]:
    """Entries for every size, or for this one (sizes are a short JSON list: read in Python,
    the same on SQLite and PostgreSQL)."""
    return [
        e for e in entries if not size_class or not e.company_sizes or size_class in e.company_sizes
    ]


@dataclass(frozen=True)
class Fit:
    organizations: list[SupportOrganization]
    schemes: list[SupportScheme]


def support_fitting(
    user: User, *, sectors: Iterable[Sector] | None, size_class: str, threat_code: str
) -> Fit:
    """Organizations and schemes for these sectors (None: any), this company size ("" : any)
    and this threat code ("": any)."""
    sectors = list(sectors) if sectors is not None else None
    return Fit(
        organizations=_sized(
            _fits(organizations(user), sectors=sectors, threat_code=threat_code), size_class
        ),
        schemes=_sized(_fits(schemes(user), sectors=sectors, threat_code=threat_code), size_class),
    )


def suggests_schemes(concern: Concern) -> bool:
    return concern.category.code == COERCION_CODE or concern.desired_support in SUGGESTING_SUPPORT


def scheme_suggestions(user: User, concern: Concern) -> list[SupportScheme]:
    """Schemes for a coercion concern, or a concern asking for finance or business
    continuity: for its sector and its organization's size, under its threat code, and
    (when it asks for finance or business continuity) giving that kind of support."""
    if not suggests_schemes(concern):
        return []
    candidates = _fits(schemes(user), sectors=[concern.sector], threat_code=concern.category.code)
    wanted_kind = concern.desired_support if concern.desired_support in SUGGESTING_SUPPORT else ""
    fitting = [
        scheme
        for scheme in _sized(candidates, concern.organization.size_class)
        if not wanted_kind or wanted_kind in scheme.support_kinds
    ]
    # Schemes naming the concern's own code (not only its family) first.
    exact = set(
        SupportScheme.objects.filter(
            pk__in=[s.pk for s in fitting], threat_categories=concern.category
        ).values_list("pk", flat=True)
    )
    fitting.sort(key=lambda s: (s.pk not in exact, s.name_ja))
    return fitting[:SUGGESTION_LIMIT]


def threat_codes(user: User) -> QuerySet[ThreatCategory]:
    return ThreatCategory.objects.visible_to(user).order_by("sort_order", "code")


@dataclass(frozen=True)
class CatalogueResults:
    organizations: list[SupportOrganization]
    schemes: list[SupportScheme]


def catalogue_search(user: User, query: str, limit: int = SEARCH_LIMIT) -> CatalogueResults:
    words = search_words(query)
    if not words:
        return CatalogueResults([], [])
    return CatalogueResults(
        organizations=list(matching(organizations(user), words).order_by("name_ja", "pk")[:limit]),
        schemes=list(matching(schemes(user), words).order_by("name_ja", "pk")[:limit]),
    )


def referral_targets(user: User) -> tuple[QuerySet[SupportOrganization], QuerySet[SupportScheme]]:
    """What an official may refer a concern to: what is still offered."""
    return (
        SupportOrganization.objects.visible_to(user).filter(is_active=True).order_by("name_ja"),
        SupportScheme.objects.visible_to(user)
        .filter(is_active=True)
        .select_related("organization")
        .order_by("name_ja"),
    )
