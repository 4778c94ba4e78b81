"""What the lists' FilterSets share: sector and word search, and the pages' select boxes.

A domain code selects the domain and its sectors; `search` matches every word as a
substring. A page's FilterSet is its API FilterSet with labelled select boxes whose
choices depend on the reader (RegisterFilterMixin, which takes `user`).

In the API FilterSets a sector, threat code or country is a `KnownValueFilter`: one
that does not exist is a field error (400), not a filter that quietly matches nothing.
The pages replace these filters with select boxes, which show such a value as an
error on the form and ignore it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import django_filters as df
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogue.countries import COUNTRIES
from dialogue.enums import Marking, SectorKind
from dialogue.models import Sector, ThreatCategory, User
from dialogue.permissions import is_secretariat
from dialogue.querysets import official_sector_id_list
from dialogue.text_search import search_words, searched

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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


UNKNOWN_SECTOR = _("“%(value)s” is not a sector: give a sector's id or code.")
UNKNOWN_SECTOR_CODE = _("“%(value)s” is not a sector code.")
UNKNOWN_THREAT_CODE = _("“%(value)s” is not a threat code.")
UNKNOWN_COUNTRY = _("“%(value)s” is not a country code (ISO 3166, e.g. CN).")
EMPTY_VALUE = _("This value is empty; leave the parameter out to not filter by it.")
NOT_A_BOOLEAN = _("Send true or false.")
BOOLEANS = ("true", "false")


def refuse_loose_values(filterset: df.FilterSet) -> None:
    """The API's reading of filter values, stricter than a form's: its schema says what
    each parameter takes, and what it forbids is a field error (400), not "no filter".

    * A present but empty value of a parameter that is not free text (a choice, a number,
      a date, an id, a boolean): a form reads it as "not given", the schema as invalid.
    * A boolean other than `true` or `false`: NullBooleanField reads any other text as
      "not given".

    Free text (search, sector id or code…) may still be empty. The workspace pages keep
    the form's reading: a select box's "All" is an empty value.
    """
    if not filterset.is_bound:
        return
    form, data = filterset.form, filterset.data
    errors = form.errors  # the form's own checks first
    for name, field in form.fields.items():
        if name not in data or isinstance(field, forms.CharField):
            continue
        values = [value.strip() for value in data.getlist(name)]
        if not all(values):
            # One message for "" and " ", whatever the field made of them.
            errors.pop(name, None)
            form.add_error(name, ValidationError(EMPTY_VALUE, code="empty"))
        elif (
            name not in errors
            and isinstance(field, forms.NullBooleanField)
            and any(value not in BOOLEANS for value in values)
        ):
            form.add_error(name, ValidationError(NOT_A_BOOLEAN, code="invalid"))


class KnownValueField(forms.CharField):
    """Text that must name something that exists: `known(value)` says whether it does."""

    def __init__(
        self, *args: Any, known: Callable[[str], bool], unknown: StrOrPromise, **kwargs: Any
    ):
        self.known = known
        self.unknown = unknown
        super().__init__(*args, **kwargs)

    def clean(self, value):
        # CharField's own checks first: a NUL is refused before it reaches the database.
        value = super().clean(value)
        if value and not self.known(value):
            raise ValidationError(self.unknown, code="invalid_choice", params={"value": value})
        return value


class KnownValueFilter(df.CharFilter):
    """A text filter whose value must exist (`known`), else the error `unknown`."""

    field_class = KnownValueField


def sector_q(path: str, value: str) -> Q:
    """Rows of the sector `value` (an id or a code), or of the sectors of that domain."""
    value = value.strip()
    # isdecimal(), not isdigit(): int() takes any decimal digit, but not "²".
    if value.isdecimal():
        return Q(**{f"{path}__pk": int(value)}) | Q(**{f"{path}__parent__pk": int(value)})
    return Q(**{f"{path}__code": value}) | Q(**{f"{path}__parent__code": value})


def is_sector(value: str) -> bool:
    """A sector's or a domain's id or code."""
    value = value.strip()
    return Sector.objects.filter(Q(pk=int(value)) if value.isdecimal() else Q(code=value)).exists()


def is_sector_code(value: str) -> bool:
    return Sector.objects.filter(code=value.strip()).exists()


def is_threat_code(value: str) -> bool:
    """A threat code or a family code ("1-2", "1")."""
    return ThreatCategory.objects.filter(code=value.strip()).exists()


def is_country(value: str) -> bool:
    return value.strip().upper() in COUNTRIES


class SectorFilterMixin(df.FilterSet):
    sector = KnownValueFilter(
        method="filter_sector",
        label=_("Sector id or code (a domain code includes its sectors)"),
        known=is_sector,
        unknown=UNKNOWN_SECTOR,
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
