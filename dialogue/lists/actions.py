"""The follow-up action tracker: its filters, sorts, API ordering and export columns."""

from __future__ import annotations

import django_filters as df
from django import forms
from django.db.models import Case, Exists, F, OuterRef, When
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dialogue.enums import ActionStatus, Marking, PolicyPillar, Priority
from dialogue.lists.base import ApiList, ListKind, PageList, SortOption
from dialogue.lists.columns import (
    Column,
    field,
    labelled,
    local_date,
    localized_name,
    marking_column,
    visible_id,
)
from dialogue.lists.filters import (
    ALL,
    MySectorsScopeMixin,
    RegisterFilterMixin,
    SearchFilter,
    SectorFilterMixin,
)
from dialogue.models import FollowUpAction, Threat, User
from dialogue.names import person_name


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


MINE = "me"
YES_NO = [("true", _("Only overdue")), ("false", _("Not overdue"))]


def owner_choices(user: User) -> list[tuple[str, str]]:
    """ "Mine", then the active officials the reader may see, by name."""
    people = (
        User.objects.visible_to(user)
        .assignable_officials()
        .order_by("last_name", "first_name", "username")
    )
    return [(MINE, gettext("Mine")), *((str(p.pk), person_name(p)) for p in people)]


ACTIVE = "active"  # open or in progress: what "open actions" means on the dashboard


class ActionListFilter(RegisterFilterMixin, MySectorsScopeMixin, ActionFilter):
    search = SearchFilter(label=_("Words"))
    owner = df.ChoiceFilter(method="filter_owner", label=_("Owner"), empty_label=ALL)
    sector = df.ChoiceFilter(method="filter_sector", label=_("Sector"), empty_label=ALL)
    status = df.ChoiceFilter(
        method="filter_status",
        choices=[(ACTIVE, _("Open or in progress")), *ActionStatus.choices],
        label=_("Status"),
        empty_label=ALL,
    )
    due_after = df.DateFilter(
        field_name="due_on",
        lookup_expr="gte",
        label=_("Due on or after"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_before = df.DateFilter(
        field_name="due_on",
        lookup_expr="lte",
        label=_("Due on or before"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    overdue = df.ChoiceFilter(
        method="filter_overdue_choice", choices=YES_NO, label=_("Overdue"), empty_label=ALL
    )
    pillar = df.ChoiceFilter(
        choices=PolicyPillar.choices, label=_("Policy pillar"), empty_label=ALL
    )
    priority = df.ChoiceFilter(choices=Priority.choices, label=_("Priority"), empty_label=ALL)
    marking = df.ChoiceFilter(choices=Marking.choices, label=_("Marking"), empty_label=ALL)

    class Meta(ActionFilter.Meta):
        fields = [
            "scope",
            "owner",
            "sector",
            "status",
            "overdue",
            "due_after",
            "due_before",
            "pillar",
            "priority",
            "marking",
            "search",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.user = user
        self.filters["owner"].extra["choices"] = owner_choices(user)

    def filter_owner(self, queryset, name, value):
        if value == MINE:
            return queryset.filter(owner=self.user)
        return queryset.filter(owner_id=int(value))

    def filter_status(self, queryset, name, value):
        if value == ACTIVE:
            return queryset.open()
        return queryset.filter(status=value)

    def filter_overdue_choice(self, queryset, name, value):
        return self.filter_overdue(queryset, name, value == "true")


ACTION_SORTS = (
    SortOption("due", _("Due date, earliest first"), ("due_on",)),
    SortOption("-due", _("Due date, latest first"), ("-due_on",)),
    SortOption("-updated", _("Recently updated"), ("-updated_at",)),
    SortOption("title", _("Title"), ("title",)),
    SortOption("sector", _("Sector"), ("sector__sort_order", "due_on")),
)


def visible_owner(user: User) -> Case:
    """The owner's user name only when the reader may see that user."""
    return Case(
        When(
            Exists(User.objects.visible_to(user).filter(pk=OuterRef("owner_id"))),
            then=F("owner__username"),
        ),
        default=None,
    )


ACTION_COLUMNS = (
    Column("id", _("ID"), field("pk"), width=8),
    Column("title", _("Title"), field("title"), text=True, width=40),
    Column("sector", _("Sector code"), field("sector__code"), width=18),
    Column("sector_name", _("Sector"), lambda u: localized_name("sector__"), True, 16),
    Column("owner", _("Owner"), visible_owner, text=True, width=16),
    Column("due_on", _("Due date"), field("due_on"), width=12),
    Column("status", _("Status"), lambda u: labelled("status", ActionStatus), width=12),
    Column("priority", _("Priority"), lambda u: labelled("priority", Priority), width=10),
    Column("pillar", _("Policy pillar"), lambda u: labelled("pillar", PolicyPillar), width=20),
    Column("marking", _("Marking"), lambda u: marking_column(), width=16),
    Column("threat", _("Source threat"), lambda u: visible_id("threat_id", Threat, u), width=10),
    Column("updated", _("Updated"), lambda u: local_date("updated_at"), width=12),
    Column("description", _("Description"), field("description"), True, 60),
)

ACTIONS = ListKind(
    kind="actions",
    title=_("Follow-up actions"),
    model=FollowUpAction,
    columns=ACTION_COLUMNS,
    page=PageList(ActionListFilter, ACTION_SORTS),
    api=ApiList(ActionFilter, ordering_fields=("id", "due_on", "created_at", "priority", "status")),
)
