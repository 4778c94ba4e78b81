"""Admin lists: a lookup through a relation sees only the related records the reader may see.

A changelist URL may filter on any relation by its name (`/threat/?source_concern=11`,
`/organization/?concerns=11`, `?source_concern__isnull=False`), list filters offer the
related records as choices, and a search may reach through a relation
(`organization__name`). Left alone, each of these is an existence test: a GREEN threat
listed for `?source_concern=11` tells an official of another sector that the hidden
concern #11 exists and what it is linked to.

`VisibleLookupsMixin` answers every such lookup as if the related records the reader
may not see (`Model.objects.visible_to(user)`) did not exist: the same rows, counts and
page as for a missing id. Superusers see everything, so their lookups are left as they
are. Only the first relation of a lookup is scoped; Django's own `lookup_allowed`
refuses a lookup that reaches further unless a list filter declares it.
"""

from __future__ import annotations

from functools import reduce
from operator import and_, or_

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path, lookup_spawns_duplicates
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.utils.text import smart_split, unescape_string_literal

SEARCH_PREFIXES = {"^": "istartswith", "=": "iexact", "@": "search"}


def scoped_relation(model: type[models.Model], lookup: str):
    """The relation field a lookup starts with, when its records have a visibility rule."""
    name = lookup.split(LOOKUP_SEP, 1)[0]
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not field.is_relation or field.related_model is None:
        return None
    if not hasattr(field.related_model._default_manager, "visible_to"):
        return None
    return field


def _through_visible(model, user, relation, condition: Q) -> Q:
    """Rows of `model` with a related record the user may see that meets `condition`.
    One `filter()` call, so a many-valued relation's condition and visibility apply to
    the same related record."""
    visible = relation.related_model._default_manager.visible_to(user).values("pk")
    matching = model._default_manager.filter(Q(**{f"{relation.name}__in": visible}), condition)
    return Q(pk__in=matching.values("pk"))


def visible_lookup_q(model, user, lookup: str, values: list) -> Q:
    """`lookup` (any of `values`) on `model`, the hidden related records left out."""
    relation = scoped_relation(model, lookup)
    if relation is None or user.is_superuser:
        return reduce(or_, (Q(**{lookup: value}) for value in values))
    if lookup == f"{relation.name}{LOOKUP_SEP}isnull":
        # "No link" includes a link to a record the reader may not see.
        linked = _through_visible(model, user, relation, Q())
        return reduce(or_, (~linked if value else linked for value in values))
    return reduce(
        or_, (_through_visible(model, user, relation, Q(**{lookup: value})) for value in values)
    )


def visible_lookups_q(model, user, lookups: dict[str, list]) -> Q:
    return reduce(
        and_,
        (visible_lookup_q(model, user, key, values) for key, values in lookups.items()),
        Q(),
    )


class VisibleChangeList(ChangeList):
    """Takes the lookups through scoped relations out of Django's filtering and applies
    them with the hidden related records left out."""

    def get_filters(self, request):
        specs, has_filters, remaining, duplicates, active = super().get_filters(request)
        self.scoped_lookups = {}
        if not request.user.is_superuser:
            for key in [k for k in remaining if scoped_relation(self.model, k) is not None]:
                self.scoped_lookups[key] = remaining.pop(key)
        return specs, has_filters, remaining, duplicates, active

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        if not self.scoped_lookups:
            return queryset
        try:
            return queryset.filter(visible_lookups_q(self.model, request.user, self.scoped_lookups))
        except (FieldDoesNotExist, ValidationError, ValueError, TypeError) as error:
            # As Django answers an unusable value: the list with "?e=1".
            raise IncorrectLookupParameters(error) from error


class VisibleRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A list filter on a relation: only the related records the reader may see are
    choices, and choosing another id (by URL) finds what a missing id finds."""

    def field_choices(self, field, request, model_admin):
        manager = field.related_model._default_manager
        if request.user.is_superuser or not hasattr(manager, "visible_to"):
            return super().field_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin) or ()
        visible = manager.visible_to(request.user).order_by(*ordering)
        target = field.target_field.attname
        return [(getattr(obj, target), str(obj)) for obj in visible]

    def queryset(self, request, queryset):
        try:
            return queryset.filter(
                visible_lookups_q(self.model, request.user, self.used_parameters)
            )
        except (ValidationError, ValueError, TypeError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_facet_counts(self, pk_attname, filtered_qs):
        counts = super().get_facet_counts(pk_attname, filtered_qs)
        if self.include_empty_choice and not self.request.user.is_superuser:
            empty = visible_lookup_q(
                self.model, self.request.user, self.lookup_kwarg_isnull, [True]
            )
            counts["__c"] = models.Count(pk_attname, filter=empty)
        return counts

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.request, self.model = request, model
        super().__init__(field, request, params, model, model_admin, field_path)


class VisibleLookupsMixin:
    """For every ModelAdmin whose lists a non-superuser reads (see the module's docstring)."""

    def get_changelist(self, request, **kwargs):
        return VisibleChangeList

    def get_list_filter(self, request):
        scoped = []
        for item in super().get_list_filter(request):
            if isinstance(item, str):
                field = get_fields_from_path(self.model, item)[-1]
                if field.is_relation and field.related_model is not None:
                    item = (item, VisibleRelatedFieldListFilter)
            scoped.append(item)
        return scoped

    def get_search_results(self, request, queryset, search_term):
        fields = [str(field) for field in self.get_search_fields(request)]
        through = [f for f in fields if scoped_relation(self.model, f.lstrip("^=@")) is not None]
        if request.user.is_superuser or not search_term or not through:
            return super().get_search_results(request, queryset, search_term)
        lookups = []
        for field in fields:
            path = field.lstrip("^=@")
            lookup = f"{path}__{SEARCH_PREFIXES.get(field[:1], 'icontains')}"
            lookups.append((lookup, field in through))
        terms = []
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            terms.append(
                reduce(
                    or_,
                    (
                        visible_lookup_q(self.model, request.user, lookup, [bit])
                        if scoped
                        else Q(**{lookup: bit})
                        for lookup, scoped in lookups
                    ),
                )
            )
        queryset = queryset.filter(reduce(and_, terms, Q()))
        duplicates = any(
            lookup_spawns_duplicates(self.opts, lookup) for lookup, scoped in lookups if not scoped
        )
        return queryset, duplicates
