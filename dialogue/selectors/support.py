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
SUGGESTION_LIMIT = 8


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
    """Schemes matching a coercion concern, or a concern asking for finance or business
    continuity: its sector and its organization's size, and its threat code or the kind of
    support it asks for. Those matching both come first."""
    if not suggests_schemes(concern):
        return []
    candidates = _fits(schemes(user), sectors=[concern.sector], threat_code="")
    by_code = set(
        _fits(
            SupportScheme.objects.all(), sectors=None, threat_code=concern.category.code
        ).values_list("pk", flat=True)
    )
    fitting = _sized(candidates, concern.organization.size_class)

    def score(scheme: SupportScheme) -> int:
        return (scheme.pk in by_code) + (concern.desired_support in scheme.support_kinds)

    ranked = [s for s in fitting if score(s)]
    ranked.sort(key=lambda s: (-score(s), s.name_ja))
    return ranked[:SUGGESTION_LIMIT]


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
