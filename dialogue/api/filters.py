"""List filters. Only declared filters and orderings exist; anything else is ignored or 400."""

import django_filters as df
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogue.enums import (
    ActionStatus,
    ConcernStatus,
    Marking,
    SessionFormat,
    SessionStatus,
    ThreatStatus,
)
from dialogue.models import (
    ChokepointTechnology,
    Concern,
    DialogueSession,
    FollowUpAction,
    Organization,
    Threat,
)
from dialogue.text_search import matching, search_words

# As much as the workspace's search page reads (views/search.py). A longer search is
# refused with the field's message: SQLite cannot match a LIKE pattern over 50,000
# bytes, nor take a thousand AND-ed words, and no one searches with a page of text.
SEARCH_MAX_LENGTH = 200


class SearchFilter(df.CharFilter):
    """`search`: every word must match (the FilterSet's `filter_search`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("method", "filter_search")
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        super().__init__(*args, **kwargs)


def _sector_q(field: str, value: str) -> Q:
    value = value.strip()
    if value.isdigit():
        return Q(**{f"{field}__pk": int(value)}) | Q(**{f"{field}__parent__pk": int(value)})
    return Q(**{f"{field}__code": value}) | Q(**{f"{field}__parent__code": value})


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
        matching = queryset.model.objects.filter(_sector_q(self.sector_field, value)).values("pk")
        return queryset.filter(pk__in=matching)

    def filter_search(self, queryset, name, value):
        # The workspace search page's implementation (text_search.py), fields and all.
        return matching(queryset, search_words(value))


class ThreatFilter(SectorFilterMixin):
    category = df.CharFilter(field_name="category__code", label=_("Threat code, e.g. 1-2"))
    status = df.ChoiceFilter(choices=ThreatStatus.choices)
    severity_min = df.NumberFilter(field_name="severity", lookup_expr="gte")

    class Meta:
        model = Threat
        fields = ["sector", "category", "status", "marking", "search", "severity_min"]


class ChokepointFilter(SectorFilterMixin):
    class Meta:
        model = ChokepointTechnology
        fields = ["sector", "stage", "outflow_concern", "marking", "search"]


class SessionFilter(SectorFilterMixin):
    sector_field = "sectors"
    status = df.ChoiceFilter(choices=SessionStatus.choices)
    format = df.ChoiceFilter(choices=SessionFormat.choices)
    held_after = df.DateFilter(field_name="held_on", lookup_expr="gte")
    held_before = df.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = DialogueSession
        fields = ["sector", "status", "format", "marking", "search", "held_after", "held_before"]


class ConcernFilter(SectorFilterMixin):
    category = df.CharFilter(field_name="category__code", label=_("Threat code, e.g. 2-2"))
    status = df.ChoiceFilter(choices=ConcernStatus.choices)

    class Meta:
        model = Concern
        fields = ["sector", "category", "status", "marking", "search", "assigned_to"]


class ActionFilter(SectorFilterMixin):
    status = df.ChoiceFilter(choices=ActionStatus.choices)
    due_before = df.DateFilter(field_name="due_on", lookup_expr="lte")
    due_after = df.DateFilter(field_name="due_on", lookup_expr="gte")
    overdue = df.BooleanFilter(
        method="filter_overdue", label=_("Only open actions past their due date")
    )

    class Meta:
        model = FollowUpAction
        fields = [
            "sector",
            "status",
            "marking",
            "owner",
            "priority",
            "pillar",
            "search",
            "due_before",
            "due_after",
            "overdue",
        ]

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.model.objects.overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class OrganizationFilter(df.FilterSet):
    search = SearchFilter(label=_("Name or corporate number"))
    sector = df.CharFilter(method="filter_sector", label=_("Sector id or code"))

    class Meta:
        model = Organization
        fields = ["kind", "size_class", "corporate_number", "search", "sector"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(name_en__icontains=value) | Q(corporate_number=value)
        )

    def filter_sector(self, queryset, name, value):
        matching = Organization.objects.filter(_sector_q("sectors", value)).values("pk")
        return queryset.filter(pk__in=matching)
