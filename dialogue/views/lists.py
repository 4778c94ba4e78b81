"""Filtered, sorted, paginated lists for workspace pages (Django's Paginator, 50 a page).

Filters, sort and page live in the query string, so a list can be bookmarked and
shared; the templates build page and sort links with Django's `{% querystring %}`,
which keeps every other parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from dialogue.lists.base import PageList, SortOption, pick_sort

PAGE_SIZE = 50


def query_value(request: HttpRequest, name: str) -> str:
    """A query-string parameter read as it is (not through a form), without NUL characters:
    no code, id or word contains one, and PostgreSQL cannot even compare text holding it."""
    return request.GET.get(name, "").replace("\x00", "")


@dataclass(frozen=True)
class ListPage:
    filterset: object
    page: Page
    sort: SortOption
    sort_options: Sequence[SortOption]
    is_filtered: bool

    @property
    def page_range(self):
        return self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2)


def filtered_page(
    request: HttpRequest, queryset: QuerySet, spec: PageList, *, per_page: int = PAGE_SIZE
) -> ListPage:
    """Filter with the list's FilterSet, sort by one of its options (else the first),
    paginate. Its export (selectors/exports.py) reads the same `spec` the same way."""
    filterset = spec.filterset(request.GET or None, queryset=queryset, user=request.user)
    sort = pick_sort(spec.sorts, request.GET.get("sort", ""))
    # The primary key last, so that pages never overlap or skip rows.
    ordered = filterset.qs.order_by(*sort.ordering, "-pk")
    page = Paginator(ordered, per_page).get_page(request.GET.get("page"))
    is_filtered = any(request.GET.get(name) for name in filterset.filters)
    return ListPage(
        filterset=filterset,
        page=page,
        sort=sort,
        sort_options=spec.sorts,
        is_filtered=is_filtered,
    )
