"""The chokepoint register: its filters, sorts, API ordering and export columns."""

from __future__ import annotations

import django_filters as df
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from dialogue.enums import (
    ChokepointProcessStage,
    ChokepointSurvey,
    ConcernLevel,
    Marking,
    SupplyChainStage,
)
from dialogue.lists.base import ApiList, ListKind, PageList, SortOption
from dialogue.lists.columns import (
    Column,
    field,
    labelled,
    local_date,
    localized_name,
    marking_column,
)
from dialogue.lists.filters import ALL, RegisterFilterMixin, SearchFilter, SectorFilterMixin
from dialogue.models import ChokepointTechnology


class ChokepointFilter(SectorFilterMixin):
    review_before = df.DateFilter(field_name="review_on", lookup_expr="lte")

    class Meta:
        model = ChokepointTechnology
        fields = [
            "sector",
            "stage",
            "process_stage",
            "survey",
            "outflow_concern",
            "marking",
            "search",
            "review_before",
        ]


class ChokepointRegisterFilter(RegisterFilterMixin, ChokepointFilter):
    search = SearchFilter(label=_("Words"))
    sector = df.ChoiceFilter(method="filter_sector", label=_("Sector"), empty_label=ALL)
    stage = df.ChoiceFilter(
        choices=SupplyChainStage.choices, label=_("Supply-chain stage"), empty_label=ALL
    )
    process_stage = df.ChoiceFilter(
        choices=ChokepointProcessStage.choices,
        label=_("Stage in the plan's process"),
        empty_label=ALL,
    )
    survey = df.ChoiceFilter(
        choices=ChokepointSurvey.choices, label=_("Extracted by"), empty_label=ALL
    )
    outflow_concern = df.ChoiceFilter(
        choices=ConcernLevel.choices, label=_("Concern of outflow"), empty_label=ALL
    )
    marking = df.ChoiceFilter(choices=Marking.choices, label=_("Marking"), empty_label=ALL)
    review_before = df.DateFilter(
        field_name="review_on",
        lookup_expr="lte",
        label=_("Review due on or before"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta(ChokepointFilter.Meta):
        fields = [
            "search",
            "sector",
            "process_stage",
            "survey",
            "stage",
            "outflow_concern",
            "marking",
            "review_before",
        ]


CHOKEPOINT_SORTS = (
    SortOption("-updated", _("Recently updated"), ("-updated_at",)),
    SortOption("name", _("Name"), ("name",)),
    SortOption(
        "-share",
        _("World share, highest first"),
        (F("world_share_pct").desc(nulls_last=True),),
    ),
    SortOption("sector", _("Sector"), ("sector__sort_order", "name")),
    SortOption(
        "process_stage",
        _("Stage in the plan's process"),
        ("process_stage", "sector__sort_order", "name"),
    ),
    SortOption("review", _("Review date, soonest first"), (F("review_on").asc(nulls_last=True),)),
    SortOption("-created", _("Newest first"), ("-created_at",)),
)

CHOKEPOINT_COLUMNS = (
    Column("id", _("ID"), field("pk"), width=8),
    Column("name", _("Name"), field("name"), text=True, width=36),
    Column("sector", _("Sector code"), field("sector__code"), width=18),
    Column("sector_name", _("Sector"), lambda u: localized_name("sector__"), True, 16),
    Column(
        "stage",
        _("Supply-chain stage"),
        lambda u: labelled("stage", SupplyChainStage),
        width=12,
    ),
    Column(
        "process_stage",
        _("Stage in the plan's process"),
        lambda u: labelled("process_stage", ChokepointProcessStage),
        width=16,
    ),
    Column("survey", _("Extracted by"), lambda u: labelled("survey", ChokepointSurvey), width=16),
    Column(
        "support_measures",
        _("Support measures applied"),
        field("support_measures"),
        text=True,
        width=30,
    ),
    Column("review_on", _("Review date"), field("review_on"), width=12),
    Column("world_share", _("World share (%)"), field("world_share_pct"), width=10),
    Column(
        "outflow",
        _("Concern of outflow"),
        lambda u: labelled("outflow_concern", ConcernLevel),
        width=12,
    ),
    Column(
        "like_minded",
        _("Like-minded countries also holding it"),
        field("like_minded_holders"),
        text=True,
        width=24,
    ),
    Column("marking", _("Marking"), lambda u: marking_column(), width=16),
    Column("updated", _("Updated"), lambda u: local_date("updated_at"), width=12),
    Column("description", _("Description"), field("description"), True, 60),
)

CHOKEPOINTS = ListKind(
    kind="chokepoints",
    title=_("Chokepoint register"),
    model=ChokepointTechnology,
    columns=CHOKEPOINT_COLUMNS,
    page=PageList(ChokepointRegisterFilter, CHOKEPOINT_SORTS),
    api=ApiList(ChokepointFilter, ordering_fields=("id", "name", "world_share_pct", "created_at")),
)
