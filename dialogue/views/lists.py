"""Filtered, sorted, paginated lists for workspace pages, 50 a page.

Filters, sort and page live in the query string, so a list can be bookmarked and
shared; the templates build page and sort links with Django's `{% querystring %}`,
which keeps every other parameter.

Pages cost the same however deep they are. The first NUMBERED_PAGES pages are reached
by number (`page=N`, an OFFSET of at most a few hundred rows); "Next" and "Previous"
beyond them carry a cursor, the sort key and primary key of the page's last row
(`after=`) or first row (`before=`), and the next page is the rows after it in the
list's order: no OFFSET, whatever the depth. `page` then only numbers the page. The
total is counted up to COUNT_CAP ("10,000+" beyond), so no page counts the whole list,
and a page number without a cursor (a bookmark) is read with an OFFSET within that cap.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldError, ValidationError
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.http import HttpRequest
from django.utils.functional import cached_property

from dialogue.forms.widgets import fast_selects
from dialogue.lists.base import PageList, SortOption, pick_sort

PAGE_SIZE = 50
NUMBERED_PAGES = 10  # pages linked by number; deeper ones are reached by cursor
COUNT_CAP = 10_000  # rows counted for the "N threats" line; beyond it, "10,000+"


def query_value(request: HttpRequest, name: str) -> str:
    """A query-string parameter read as it is (not through a form), without NUL characters:
    no code, id or word contains one, and PostgreSQL cannot even compare text holding it."""
    return request.GET.get(name, "").replace("\x00", "")


# --- keys and cursors -------------------------------------------------------------------


@dataclass(frozen=True)
class SortKey:
    """One term of a list's ordering: a field path, its direction and where NULLs go."""

    path: str
    descending: bool
    nulls_first: bool

    @classmethod
    def of(cls, term: Any, vendor: str) -> SortKey:
        if isinstance(term, str):
            descending, path, nulls_last, nulls_first = term.startswith("-"), term, False, False
            path = term.removeprefix("-")
        elif isinstance(term, OrderBy) and isinstance(term.expression, F):
            path, descending = term.expression.name, term.descending
            nulls_last, nulls_first = bool(term.nulls_last), bool(term.nulls_first)
        else:
            raise TypeError(f"A list cannot be paged by cursor on {term!r}.")
        if path == "pk":
            path = "id"
        if not (nulls_first or nulls_last):
            # The database's own rule: PostgreSQL takes NULL as the largest value, SQLite
            # as the smallest.
            nulls_first = descending if vendor == "postgresql" else not descending
        return cls(path, descending, nulls_first)

    def after(self, value: Any) -> Q:
        """Rows strictly after `value` in this key's order."""
        if value is None:
            return Q(**{f"{self.path}__isnull": False}) if self.nulls_first else Q(pk__in=[])
        beyond = Q(**{f"{self.path}__{'lt' if self.descending else 'gt'}": value})
        if not self.nulls_first:
            beyond |= Q(**{f"{self.path}__isnull": True})
        return beyond

    def at_or_after(self, value: Any) -> Q:
        """Rows equal to `value` or after it: implied by `after` on this key or on the keys
        after it, and said on its own so that an index on the key can start there."""
        if value is None:
            return Q() if self.nulls_first else Q(**{f"{self.path}__isnull": True})
        bound = Q(**{f"{self.path}__{'lte' if self.descending else 'gte'}": value})
        return bound if self.nulls_first else bound | Q(**{f"{self.path}__isnull": True})

    def equal(self, value: Any) -> Q:
        if value is None:
            return Q(**{f"{self.path}__isnull": True})
        return Q(**{self.path: value})

    def reversed(self) -> SortKey:
        return SortKey(self.path, not self.descending, not self.nulls_first)


def sort_keys(ordering: Sequence[Any], vendor: str) -> list[SortKey]:
    return [SortKey.of(term, vendor) for term in ordering]


def keyset_after(keys: Sequence[SortKey], values: Sequence[Any]) -> Q:
    """Rows after `values` in the order of `keys` (the last key unique): for each key, the
    rows equal on the keys before it and beyond on it."""
    condition = Q(pk__in=[])
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        condition |= equal & key.after(value)
        equal &= key.equal(value)
    return keys[0].at_or_after(values[0]) & condition


def cursor_of(values: Sequence[Any]) -> str:
    """A row's sort values as a URL-safe token (dates and times in ISO form)."""
    # ISO dates and times (with their offset) and decimals as text: the fields parse them
    # back when the next page filters on them.
    plain = [
        value
        if value is None or isinstance(value, int | str)
        else value.isoformat()
        if hasattr(value, "isoformat")
        else str(value)
        for value in values
    ]
    raw = json.dumps(plain, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def values_of(cursor: str, length: int) -> list[Any] | None:
    """The values `cursor_of` encoded, or None for anything that is not such a token."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, binascii.Error):
        return None
    if not isinstance(values, list) or len(values) != length:
        return None
    if not all(value is None or isinstance(value, int | str) for value in values):
        return None
    return values


# --- pages --------------------------------------------------------------------------------


class CappedPaginator(Paginator):
    """Django's Paginator whose count stops at COUNT_CAP (`more` says there are more)."""

    def __init__(self, object_list: QuerySet, per_page: int, cap: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def counted(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self.counted, self.cap)

    @property
    def more(self) -> bool:
        return self.counted > self.cap

    def _get_page(self, *args: Any, **kwargs: Any) -> Page:
        return CappedPage(*args, **kwargs)


class CappedPage(Page):
    paginator: CappedPaginator

    def has_next(self) -> bool:
        # Past the count's cap there are more pages than it says.
        return super().has_next() or self.paginator.more


class KeysetPage(Page):
    """A page reached by cursor: its rows, its number (as the links counted it), and
    whether rows follow or precede it (known from one row more than the page)."""

    def __init__(self, rows, number, paginator, *, has_next: bool, has_previous: bool):
        super().__init__(rows, number, paginator)
        self._has_next = has_next
        self._has_previous = has_previous

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self._has_previous


@dataclass(frozen=True)
class ListPage:
    filterset: object
    page: Page
    sort: SortOption
    sort_options: Sequence[SortOption]
    is_filtered: bool
    keys: Sequence[SortKey] = ()

    @property
    def count_more(self) -> bool:
        """More rows than the count shows (it stops at COUNT_CAP)."""
        return bool(getattr(self.page.paginator, "more", False))

    @property
    def total_label(self) -> str | int:
        """The count as the page states it: "10,000+" past the cap."""
        count = self.page.paginator.count
        return f"{count:,}+" if self.count_more else count

    @property
    def page_range(self) -> list[Any]:
        """Page numbers to link: the first NUMBERED_PAGES (elided around this one), then
        this page's own number when it is deeper."""
        paginator = self.page.paginator
        last = min(paginator.num_pages, NUMBERED_PAGES)
        if self.page.number <= last:
            numbered = Paginator(range(last * paginator.per_page), paginator.per_page)
            numbers = list(numbered.get_elided_page_range(self.page.number, on_each_side=2))
        else:
            numbers = [*range(1, 3), paginator.ELLIPSIS, self.page.number]
        if self.page.has_next() and (paginator.num_pages > last or self.count_more):
            numbers.append(paginator.ELLIPSIS)  # more pages, reached by "Next"
        return numbers

    def _cursor(self, row) -> str:
        return cursor_of([getattr(row, f"_cursor_{n}") for n in range(len(self.keys))])

    @property
    def next_query(self) -> dict[str, Any]:
        """The query-string changes that lead to the next page."""
        number = self.page.number + 1
        if number <= NUMBERED_PAGES:
            return {"page": number, "after": None, "before": None}
        rows = self.page.object_list
        return {"page": number, "after": self._cursor(rows[len(rows) - 1]), "before": None}

    @property
    def previous_query(self) -> dict[str, Any]:
        number = self.page.number - 1
        if number <= NUMBERED_PAGES:
            return {"page": number, "after": None, "before": None}
        return {"page": number, "after": None, "before": self._cursor(self.page.object_list[0])}


def page_number(value: str | None) -> int:
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return max(number, 1)


def filtered_page(
    request: HttpRequest, queryset: QuerySet, spec: PageList, *, per_page: int = PAGE_SIZE
) -> ListPage:
    """Filter with the list's FilterSet, sort by one of its options (else the first),
    page by number or by cursor. Its export (selectors/exports.py) reads the same `spec`
    the same way and writes every row in the same order."""
    filterset = spec.filterset(request.GET or None, queryset=queryset, user=request.user)
    fast_selects(filterset.form)
    sort = pick_sort(spec.sorts, request.GET.get("sort", ""))
    # The primary key last, so that pages never overlap or skip rows.
    ordering = [*sort.ordering, "-pk"]
    keys = sort_keys(ordering, connections[queryset.db].vendor)
    ordered = filterset.qs.annotate(
        **{f"_cursor_{n}": F(key.path) for n, key in enumerate(keys)}
    ).order_by(*ordering)
    paginator = CappedPaginator(ordered, per_page)
    number = page_number(request.GET.get("page"))
    page = keyset_page(request, ordered, keys, paginator, number)
    if page is None:
        # By number: an OFFSET, bounded as the count is (COUNT_CAP rows at most).
        page = paginator.get_page(number)
    is_filtered = any(request.GET.get(name) for name in filterset.filters)
    return ListPage(
        filterset=filterset,
        page=page,
        sort=sort,
        sort_options=spec.sorts,
        is_filtered=is_filtered,
        keys=keys,
    )


def keyset_page(
    request: HttpRequest,
    ordered: QuerySet,
    keys: Sequence[SortKey],
    paginator: Paginator,
    number: int,
) -> KeysetPage | None:
    """The page after (or before) the request's cursor; None without a valid one."""
    forward = bool(request.GET.get("after"))
    cursor = query_value(request, "after" if forward else "before")
    values = values_of(cursor, len(keys)) if cursor else None
    if values is None:
        return None
    try:
        if forward:
            rows_query = ordered.filter(keyset_after(keys, values))
        else:
            backwards = [key.reversed() for key in keys]
            rows_query = ordered.filter(keyset_after(backwards, values)).reverse()
        rows = list(rows_query[: paginator.per_page + 1])
    except (ValidationError, ValueError, TypeError, FieldError):
        return None  # values that do not fit the fields: not a cursor of this list
    beyond = len(rows) > paginator.per_page
    rows = rows[: paginator.per_page]
    if not forward:
        rows.reverse()
    if not rows:
        return None
    # Going forward, rows precede the page (the cursor's own row at least); going back,
    # rows follow it.
    has_next = beyond if forward else True
    has_previous = True if forward else (beyond or number > 1)
    return KeysetPage(rows, number, paginator, has_next=has_next, has_previous=has_previous)
