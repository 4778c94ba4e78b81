"""What the lists' FilterSets share: sector and word search, and the pages' select boxes.

A domain code selects the domain and its sectors; `search` matches every word as a
substring. A page's FilterSet is its API FilterSet with labelled select boxes whose
choices depend on the reader (RegisterFilterMixin, which takes `user`).
"""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogue.enums import Marking, SectorKind
from dialogue.models import Sector, ThreatCategory, User
from dialogue.permissions import is_secretariat
from dialogue.querysets import official_sector_id_list
from dialogue.text_search import search_words, searched

# As much as the workspace's search page reads (views/search.py). A longer search is
# refused with the field's message: SQLite cannot match a LIKE pattern over 50,000
# bytes, nor take a thousand AND-ed words, and no one searches with a page of text.
SEARCH_MAX_LENGTH = 200

ALL = _("All")


class SearchFilter(df.CharFilter):
    """`search`: every word must match (the FilterSet's `filter_search`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("method", "filter_search")
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        super().__init__(*args, **kwargs)


def sector_q(path: str, value: str) -> Q:
    value = value.strip()
    if value.isdigit():
        return Q(**{f"{path}__pk": int(value)}) | Q(**{f"{path}__parent__pk": int(value)})
    return Q(**{f"{path}__code": value}) | Q(**{f"{path}__parent__code": value})


class SectorFilterMixin(df.FilterSet):
    sector = df.CharFilter(
        method="filter_sector",
        label=_("Sector id or code (a domain code includes its sectors)"),
    )
    search = SearchFilter(label=_("Words in the title or description"))
    marking = df.ChoiceFilter(choices=Marking.choices)

    sector_field = "sector"

    def filter_sector(self, queryset, name, value):
        # A filter on a many-to-many path can repeat rows; the subquery keeps them unique.
        matching = queryset.model.objects.filter(sector_q(self.sector_field, value)).values("pk")
        return queryset.filter(pk__in=matching)

    def filter_search(self, queryset, name, value):
        # The workspace search page's implementation (text_search.py), fields and all,
        # planned for the first page by the number of matches.
        return searched(queryset, search_words(value))


def sector_choices(user) -> list:
    sectors = list(Sector.objects.visible_to(user).order_by("sort_order", "code"))
    domains = [(s.code, s.name) for s in sectors if s.kind == SectorKind.DOMAIN]
    others = [(s.code, s.name) for s in sectors if s.kind != SectorKind.DOMAIN]
    return [
        (_("Sectors"), others),
        (_("Technology domains (with their sectors)"), domains),
    ]


def category_choices(user) -> list:
    categories = list(ThreatCategory.objects.visible_to(user).order_by("sort_order", "code"))
    groups = []
    for family in (c for c in categories if c.parent_id is None):
        children = [(c.code, str(c)) for c in categories if c.parent_id == family.pk]
        label = _("All of %(code)s") % {"code": family.code}
        groups.append((str(family), [(family.code, label), *children]))
    return groups


MY_SECTORS = "mine"


class MySectorsScopeMixin(df.FilterSet):
    """`scope=mine`: only the reader's sectors (an official's assigned sectors and their
    domains' sectors; every sector for the secretariat), as the dashboard counts them."""

    scope = df.ChoiceFilter(
        method="filter_scope",
        choices=[(MY_SECTORS, _("My sectors"))],
        label=_("Whose"),
        empty_label=_("All I may see"),
    )
    user: User  # set by the page's FilterSet

    def filter_scope(self, queryset, name, value):
        if value != MY_SECTORS or is_secretariat(self.user):
            return queryset
        return queryset.filter(sector__in=official_sector_id_list(self.user))


class RegisterFilterMixin:
    filters: dict[str, Any]  # FilterSet's, which this mixes into

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Choices are built once per request, here, not lazily at every iteration.
        self.filters["sector"].extra["choices"] = sector_choices(user)
        if "category" in self.filters:
            self.filters["category"].extra["choices"] = category_choices(user)
