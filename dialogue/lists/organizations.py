"""The organization list's FilterSet (reference data in the API)."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogue.lists.filters import (
    UNKNOWN_SECTOR,
    KnownValueFilter,
    SearchFilter,
    is_sector,
    sector_q,
)
from dialogue.models import Organization


class OrganizationFilter(df.FilterSet):
    search = SearchFilter(label=_("Name or corporate number"))
    sector = KnownValueFilter(
        method="filter_sector",
        label=_("Sector id or code"),
        known=is_sector,
        unknown=UNKNOWN_SECTOR,
    )

    class Meta:
        model = Organization
        fields = ["kind", "size_class", "corporate_number", "search", "sector"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(name_en__icontains=value) | Q(corporate_number=value)
        )

    def filter_sector(self, queryset, name, value):
        matching = Organization.objects.filter(sector_q("sectors", value)).values("pk")
        return queryset.filter(pk__in=matching)
