"""The support catalogue's FilterSets (API): threat code, sector, company size, words."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogue.enums import SizeClass
from dialogue.lists.filters import (
    UNKNOWN_SECTOR_CODE,
    UNKNOWN_THREAT_CODE,
    KnownValueFilter,
    SearchFilter,
    is_sector_code,
    is_threat_code,
)
from dialogue.models import Sector, SupportOrganization, SupportScheme
from dialogue.text_search import matching, search_words


class SupportEntryFilter(df.FilterSet):
    threat_code = KnownValueFilter(
        method="filter_threat_code",
        label=_("Threat code (a family code such as 2 includes its codes)"),
        known=is_threat_code,
        unknown=UNKNOWN_THREAT_CODE,
    )
    sector = KnownValueFilter(
        method="filter_sector",
        label=_("Sector code: entries for it, its domain, or every sector"),
        known=is_sector_code,
        unknown=UNKNOWN_SECTOR_CODE,
    )
    size_class = df.ChoiceFilter(
        method="filter_size_class",
        choices=SizeClass.choices,
        label=_("Company size: entries for it or for every size"),
    )
    is_active = df.BooleanFilter(label=_("Still offered"))
    search = SearchFilter(label=_("Words in the names or what it offers"))

    def filter_threat_code(self, queryset, name, value):
        value = value.strip()
        family = value.split("-")[0]
        related = Q(threat_categories__code__in=[value, family]) | Q(
            threat_categories__parent__code=value
        )
        return queryset.filter(pk__in=queryset.model.objects.filter(related).values("pk"))

    def filter_sector(self, queryset, name, value):
        sectors = Sector.objects.filter(code=value.strip())
        model = queryset.model
        through = model.sectors.through.objects.values(model._meta.model_name)
        linked = model.objects.filter(
            Q(sectors__in=sectors.values("pk")) | Q(sectors__in=sectors.values("parent"))
        ).values("pk")
        return queryset.filter(~Q(pk__in=through) | Q(pk__in=linked))

    def filter_size_class(self, queryset, name, value):
        # Sizes are a short JSON list: read in Python, the same on SQLite and PostgreSQL.
        fitting = [
            pk
            for pk, sizes in queryset.model.objects.values_list("pk", "company_sizes")
            if not sizes or value in sizes
        ]
        return queryset.filter(pk__in=fitting)

    def filter_search(self, queryset, name, value):
        return matching(queryset, search_words(value))


class SupportOrganizationFilter(SupportEntryFilter):
    class Meta:
        model = SupportOrganization
        fields = ["threat_code", "sector", "size_class", "is_active", "search"]


class SupportSchemeFilter(SupportEntryFilter):
    organization = df.NumberFilter(label=_("Support organization id"))

    class Meta:
        model = SupportScheme
        fields = ["organization", "threat_code", "sector", "size_class", "is_active", "search"]
