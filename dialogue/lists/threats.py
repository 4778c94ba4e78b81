"""The threat register: its filters, sorts, API ordering and export columns."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogue.enums import Marking, ThreatStatus
from dialogue.lists.base import ApiList, ListKind, PageList, SortOption
from dialogue.lists.columns import (
    Column,
    field,
    labelled,
    local_date,
    localized_name,
    marking_column,
    severity_band,
)
from dialogue.lists.filters import (
    ALL,
    UNKNOWN_THREAT_CODE,
    KnownValueFilter,
    RegisterFilterMixin,
    SearchFilter,
    SectorFilterMixin,
    is_threat_code,
)
from dialogue.models import Threat


class ThreatFilter(SectorFilterMixin):
    category = KnownValueFilter(
        field_name="category__code",
        label=_("Threat code, e.g. 1-2"),
        known=is_threat_code,
        unknown=UNKNOWN_THREAT_CODE,
    )
    status = df.ChoiceFilter(choices=ThreatStatus.choices)
    severity_min = df.NumberFilter(field_name="severity", lookup_expr="gte")

    class Meta:
        model = Threat
        fields = ["sector", "category", "status", "marking", "search", "severity_min"]


SEVERITY_CHOICES = [
    ("5", _("Medium or higher (5+)")),
    ("10", _("High or higher (10+)")),
    ("15", _("Critical (15+)")),
]


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


THREAT_SORTS = (
    SortOption("-updated", _("Recently updated"), ("-updated_at",)),
    SortOption("-severity", _("Severity, highest first"), ("-severity",)),
    SortOption("severity", _("Severity, lowest first"), ("severity",)),
    SortOption("-created", _("Newest first"), ("-created_at",)),
    SortOption("created", _("Oldest first"), ("created_at",)),
    SortOption("title", _("Title"), ("title",)),
    SortOption("code", _("Threat code"), ("category__sort_order",)),
    SortOption("sector", _("Sector"), ("sector__sort_order",)),
)

THREAT_COLUMNS = (
    Column("id", _("ID"), field("pk"), width=8),
    Column("title", _("Title"), field("title"), text=True, width=40),
    Column("sector", _("Sector code"), field("sector__code"), width=18),
    Column("sector_name", _("Sector"), lambda u: localized_name("sector__"), True, 16),
    Column("code", _("Threat code"), field("category__code"), width=8),
    Column("code_name", _("Threat"), lambda u: localized_name("category__"), True, 24),
    Column("likelihood", _("Likelihood"), field("likelihood"), width=8),
    Column("impact", _("Impact"), field("impact"), width=8),
    Column("severity", _("Severity"), field("severity"), width=8),
    Column("band", _("Severity band"), lambda u: severity_band(), width=10),
    Column("status", _("Status"), lambda u: labelled("status", ThreatStatus), width=12),
    Column("marking", _("Marking"), lambda u: marking_column(), width=16),
    Column("created", _("Created"), lambda u: local_date("created_at"), width=12),
    Column("updated", _("Updated"), lambda u: local_date("updated_at"), width=12),
    Column("description", _("Description"), field("description"), True, 60),
)

THREATS = ListKind(
    kind="threats",
    title=_("Threat register"),
    model=Threat,
    columns=THREAT_COLUMNS,
    page=PageList(ThreatRegisterFilter, THREAT_SORTS),
    api=ApiList(
        ThreatFilter,
        ordering_fields=(
            "id",
            "created_at",
            "updated_at",
            "severity",
            "likelihood",
            "impact",
            "title",
        ),
    ),
)
