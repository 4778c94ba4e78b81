"""The register filters of the workspace: the API's FilterSets with labelled select boxes.

Same filtering as the API (dialogue/api/filters.py): a domain code selects the
domain and its sectors, `search` matches every word as a substring. On a page an
invalid value is not an error page: the field shows its error and is ignored.
"""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogue.api.filters import ChokepointFilter, SearchFilter, ThreatFilter
from dialogue.enums import ConcernLevel, Marking, SectorKind, SupplyChainStage, ThreatStatus
from dialogue.models import Sector, ThreatCategory

ALL = _("All")

SEVERITY_CHOICES = [
    ("5", _("Medium or higher (5+)")),
    ("10", _("High or higher (10+)")),
    ("15", _("Critical (15+)")),
]


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


class RegisterFilterMixin:
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices are built once per request, here, not lazily at every iteration.
        self.filters["sector"].extra["choices"] = sector_choices(user)
        if "category" in self.filters:
            self.filters["category"].extra["choices"] = category_choices(user)


class ThreatRegisterFilter(RegisterFilterMixin, ThreatFilter):
    search = SearchFilter(label=_("Words"))
    sector = df.ChoiceFilter(method="filter_sector", label=_("Sector"), empty_label=ALL)
    category = df.ChoiceFilter(method="filter_category", label=_("Threat code"), empty_label=ALL)
    severity_min = df.ChoiceFilter(
        field_name="severity",
        lookup_expr="gte",
        choices=SEVERITY_CHOICES,
        label=_("Severity"),
        empty_label=ALL,
    )
    status = df.ChoiceFilter(choices=ThreatStatus.choices, label=_("Status"), empty_label=ALL)
    marking = df.ChoiceFilter(choices=Marking.choices, label=_("Marking"), empty_label=ALL)

    class Meta(ThreatFilter.Meta):
        fields = ["search", "sector", "category", "severity_min", "status", "marking"]

    def filter_category(self, queryset, name, value):
        # A family code (1, 2, 3) selects all its codes.
        return queryset.filter(Q(category__code=value) | Q(category__parent__code=value))


class ChokepointRegisterFilter(RegisterFilterMixin, ChokepointFilter):
    search = SearchFilter(label=_("Words"))
    sector = df.ChoiceFilter(method="filter_sector", label=_("Sector"), empty_label=ALL)
    stage = df.ChoiceFilter(
        choices=SupplyChainStage.choices, label=_("Supply-chain stage"), empty_label=ALL
    )
    outflow_concern = df.ChoiceFilter(
        choices=ConcernLevel.choices, label=_("Concern of outflow"), empty_label=ALL
    )
    marking = df.ChoiceFilter(choices=Marking.choices, label=_("Marking"), empty_label=ALL)

    class Meta(ChokepointFilter.Meta):
        fields = ["search", "sector", "stage", "outflow_concern", "marking"]
