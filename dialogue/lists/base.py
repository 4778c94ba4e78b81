"""The shape of a list specification, and how a list's query string becomes an ordering.

A list is shown by a workspace page (labelled select boxes, `sort=<key>`) and by the
API (`ordering=a,-b`); both are exported as "download what this list shows". One
`ListKind` holds both ways of listing it, so the page, the API and every export read
the same FilterSet and the same ordering rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from django_filters import FilterSet

from dialogue.lists.columns import Column
from dialogue.lists.filters import refuse_loose_values

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

WORKSPACE = "workspace"
API = "api"
SOURCES = (WORKSPACE, API)
NO_SUCH_LIST = _("There is no such list to export.")

# What a query string is once parsed: each name with its values, in the order given.
Params = Mapping[str, Sequence[str]]


def last_value(params: Params, name: str) -> str:
    """The value a query string gives `name` when read as one value: the last one, as
    Django's QueryDict.get and DRF's OrderingFilter read it."""
    values = params.get(name) or ()
    return values[-1] if values else ""


def filter_data(params: Params) -> MultiValueDict | None:
    """Parameters as a FilterSet's form reads them; None (an unbound FilterSet) when empty."""
    return MultiValueDict({key: list(values) for key, values in params.items()}) or None


@dataclass(frozen=True)
class SortOption:
    key: str
    label: StrOrPromise
    ordering: tuple[Any, ...]


def pick_sort(options: Sequence[SortOption], key: str) -> SortOption:
    """The option named `key`; an unknown key takes the first (the list's default)."""
    by_key = {option.key: option for option in options}
    return by_key.get(key, options[0])


@dataclass(frozen=True)
class PageList:
    """A workspace page: invalid filter values are shown on the form and ignored."""

    filterset_class: type[FilterSet]  # takes `user` (its choices depend on the reader)
    sorts: Sequence[SortOption]
    strict = False

    def filterset(self, data, *, queryset: QuerySet, user) -> FilterSet:
        return self.filterset_class(data, queryset=queryset, user=user)

    def ordering(self, params: Params) -> list:
        return list(pick_sort(self.sorts, last_value(params, "sort")).ordering)


@dataclass(frozen=True)
class ApiList:
    """An API list: invalid filter values answer 400; `ordering=a,-b` over named fields."""

    filterset_class: type[FilterSet]
    ordering_fields: tuple[str, ...]
    default_ordering: tuple[str, ...] = ("-id",)
    strict = True

    def filterset(self, data, *, queryset: QuerySet, user) -> FilterSet:
        filterset = self.filterset_class(data, queryset=queryset)
        refuse_loose_values(filterset)  # as the API's filter backend does
        return filterset

    def ordering(self, params: Params) -> list:
        """DRF's OrderingFilter: unknown terms are dropped; none left, the default."""
        terms = [term.strip() for term in last_value(params, "ordering").split(",")]
        valid = [term for term in terms if term.removeprefix("-") in self.ordering_fields]
        return valid or list(self.default_ordering)


@dataclass(frozen=True)
class ListKind:
    """One register or tracker: how each door lists it, and what its export holds."""

    kind: str
    title: StrOrPromise  # a lazy translation: the export's title
    model: type[Model]
    columns: tuple[Column, ...]
    page: PageList
    api: ApiList

    def source(self, source: str) -> PageList | ApiList:
        """How `source` ("workspace" or "api") lists it; ValidationError for any other."""
        if source not in SOURCES:
            raise ValidationError(NO_SUCH_LIST, code="invalid")
        return self.page if source == WORKSPACE else self.api
