"""The chokepoint register: its filters, sorts, API ordering and export columns."""

from __future__ import annotations

import django_filters as df
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from dialogue.enums import ConcernLevel, Marking, SupplyChainStage
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
    class Meta:
        model = ChokepointTechnology
        fields = ["sector", "stage", "outflow_concern", "marking", "search"]


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


CHOKEPOINT_SORTS = (
    SortOption("-updated", _("Recently updated"), ("-updated_at",)),
    SortOption("name", _("Name"), ("name",)),
    SortOption(
        "-share",
        _("World share, highest first"),
        (F("world_share_pct").desc(nulls_last=True),),
    ),
    SortOption("sector", _("Sector"), ("sector__sort_order", "name")),
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
