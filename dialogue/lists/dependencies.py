"""The dependency register: its filters, sorts and API ordering."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogue.countries import country_choices
from dialogue.enums import FigurePrecision, Marking, ShareBasis, SupplyChainStage
from dialogue.lists.base import ApiList, PageList, SortOption
from dialogue.lists.filters import (
    ALL,
    UNKNOWN_COUNTRY,
    KnownValueFilter,
    RegisterFilterMixin,
    SearchFilter,
    SectorFilterMixin,
    is_country,
)
from dialogue.models import Dependency


class DependencyFilter(SectorFilterMixin):
    search = SearchFilter(label=_("Words in the product, HS code or source"))
    country = KnownValueFilter(
        method="filter_country",
        label=_("Supplier country (ISO code)"),
        known=is_country,
        unknown=UNKNOWN_COUNTRY,
    )
    year = df.NumberFilter(field_name="year")
    min_share = df.NumberFilter(field_name="share_pct", lookup_expr="gte")

    class Meta:
        model = Dependency
        fields = [
            "sector",
            "stage",
            "country",
            "basis",
            "precision",
            "year",
            "min_share",
            "marking",
            "search",
        ]

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.strip().upper())

    def filter_search(self, queryset, name, value):
        # Few rows per sector: a substring match per word, each word in any of the fields.
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(product__icontains=word) | Q(hs_code__startswith=word) | Q(source__icontains=word)
            )
        return queryset


class DependencyRegisterFilter(RegisterFilterMixin, DependencyFilter):
    search = SearchFilter(label=_("Words"))
    sector = df.ChoiceFilter(method="filter_sector", label=_("Sector"), empty_label=ALL)
    country = df.ChoiceFilter(method="filter_country", label=_("Supplier country"), empty_label=ALL)
    stage = df.ChoiceFilter(
        choices=SupplyChainStage.choices, label=_("Supply-chain stage"), empty_label=ALL
    )
    basis = df.ChoiceFilter(choices=ShareBasis.choices, label=_("Share of"), empty_label=ALL)
    precision = df.ChoiceFilter(
        choices=FigurePrecision.choices, label=_("Precision"), empty_label=ALL
    )
    year = df.NumberFilter(field_name="year", label=_("Year"))
    min_share = df.NumberFilter(
        field_name="share_pct", lookup_expr="gte", label=_("Share at least (%)")
    )
    marking = df.ChoiceFilter(choices=Marking.choices, label=_("Marking"), empty_label=ALL)

    class Meta(DependencyFilter.Meta):
        fields = [
            "search",
            "sector",
            "country",
            "stage",
            "basis",
            "precision",
            "year",
            "min_share",
            "marking",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["country"].extra["choices"] = country_choices()


DEPENDENCY_SORTS = (
    SortOption("-share", _("Share, highest first"), ("-share_pct", "product")),
    SortOption("product", _("Product"), ("product", "-year", "-share_pct")),
    SortOption("-year", _("Newest year first"), ("-year", "-share_pct")),
    SortOption("sector", _("Sector"), ("sector__sort_order", "product", "-year")),
    SortOption("-updated", _("Recently updated"), ("-updated_at",)),
)

DEPENDENCY_PAGE = PageList(DependencyRegisterFilter, DEPENDENCY_SORTS)
DEPENDENCY_API = ApiList(
    DependencyFilter,
    ordering_fields=("id", "product", "year", "share_pct", "country", "created_at"),
)
