"""Filtered, sorted, paginated lists for workspace pages (Django's Paginator, 50 a page).

Filters, sort and page live in the query string, so a list can be bookmarked and
shared; the templates build page and sort links with Django's `{% querystring %}`,
which keeps every other parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50


def query_value(request: HttpRequest, name: str) -> str:
    """A query-string parameter read as it is (not through a form), without NUL characters:
    no code, id or word contains one, and PostgreSQL cannot even compare text holding it."""
    return request.GET.get(name, "").replace("\x00", "")


@dataclass(frozen=True)
class SortOption:
    key: str
    label: str
    ordering: tuple[str, ...]


@dataclass(frozen=True)
class ListPage:
    filterset: object
    page: Page
    sort: SortOption
    sort_options: list[SortOption]
    is_filtered: bool

    @property
    def page_range(self):
        return self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2)


def filtered_page(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    filterset_class,
    sort_options: list[SortOption],
    per_page: int = PAGE_SIZE,
) -> ListPage:
    """Filter with a FilterSet, sort by a whitelisted option (else the first), paginate."""
    filterset = filterset_class(request.GET or None, queryset=queryset, user=request.user)
    by_key = {option.key: option for option in sort_options}
    sort = by_key.get(request.GET.get("sort", ""), sort_options[0])
    # The primary key last, so that pages never overlap or skip rows.
    ordered = filterset.qs.order_by(*sort.ordering, "-pk")
    page = Paginator(ordered, per_page).get_page(request.GET.get("page"))
    is_filtered = any(request.GET.get(name) for name in filterset.filters)
    return ListPage(
        filterset=filterset,
        page=page,
        sort=sort,
        sort_options=sort_options,
        is_filtered=is_filtered,
    )
