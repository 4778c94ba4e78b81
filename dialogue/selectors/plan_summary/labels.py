"""How snapshot values read in the summary: choices by their labels, markings as TLP
labels, dates and decimals as values a spreadsheet understands."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy

from dialogue.enums import (
    ActionStatus,
    ChokepointProcessStage,
    ChokepointSurvey,
    ConcernLevel,
    FigurePrecision,
    Marking,
    PolicyPillar,
    Priority,
    ShareBasis,
    SupplyChainStage,
    ThreatStatus,
)
from dialogue.models import PlanRevisionItem

Kind = PlanRevisionItem.Kind

# Snapshot fields whose values are choices: shown by their labels.
CHOICE_FIELDS = {
    (Kind.THREAT, "status"): ThreatStatus,
    (Kind.ACTION, "status"): ActionStatus,
    (Kind.ACTION, "priority"): Priority,
    (Kind.ACTION, "pillar"): PolicyPillar,
    (Kind.CHOKEPOINT, "stage"): SupplyChainStage,
    (Kind.CHOKEPOINT, "outflow_concern"): ConcernLevel,
    (Kind.DEPENDENCY, "stage"): SupplyChainStage,
    (Kind.DEPENDENCY, "basis"): ShareBasis,
    (Kind.DEPENDENCY, "precision"): FigurePrecision,
    (Kind.CHOKEPOINT, "process_stage"): ChokepointProcessStage,
    (Kind.CHOKEPOINT, "survey"): ChokepointSurvey,
}
FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "name": gettext_lazy("Name"),
    "sector": gettext_lazy("Sector"),
    "category": gettext_lazy("Threat code"),
    "likelihood": gettext_lazy("Likelihood"),
    "impact": gettext_lazy("Impact"),
    "severity": gettext_lazy("Severity"),
    "status": gettext_lazy("Status"),
    "source_session": gettext_lazy("Source session"),
    "source_concern": gettext_lazy("Source concern"),
    "source_threat": gettext_lazy("Source threat"),
    "chokepoints": gettext_lazy("Related chokepoints"),
    "stage": gettext_lazy("Supply-chain stage"),
    "world_share_pct": gettext_lazy("World share (%)"),
    "outflow_concern": gettext_lazy("Concern of outflow"),
    "like_minded_holders": gettext_lazy("Like-minded countries also holding it"),
    "process_stage": gettext_lazy("Stage in the plan's process"),
    "survey": gettext_lazy("Extracted by"),
    "support_measures": gettext_lazy("Support measures applied"),
    "review_on": gettext_lazy("Review date"),
    "due_on": gettext_lazy("Due date"),
    "priority": gettext_lazy("Priority"),
    "pillar": gettext_lazy("Policy pillar"),
    "concerns": gettext_lazy("Concerns"),
    "organizations": gettext_lazy("Organizations"),
    "marking": gettext_lazy("Marking"),
    "product": gettext_lazy("Product or material"),
    "hs_code": gettext_lazy("HS code"),
    "country": gettext_lazy("Supplier country"),
    "share_pct": gettext_lazy("Share (%)"),
    "basis": gettext_lazy("Share of"),
    "year": gettext_lazy("Year"),
    "precision": gettext_lazy("Precision"),
    "source": gettext_lazy("Source"),
    "threats": gettext_lazy("Related threats"),
}


def marking_label(value: str) -> str:
    return Marking(value).label if value in Marking.values else str(value)


def local_datetime(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def as_date(value: Any) -> Any:
    """A snapshot's ISO date as a date (a spreadsheet date cell); anything else unchanged."""
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def as_decimal(value: Any) -> Any:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return value


def choice_label(kind: str, name: str, value: Any) -> Any:
    choices = CHOICE_FIELDS.get((Kind(kind), name))
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return value


def item_title(data: dict[str, Any]) -> str:
    if "product" in data:
        return f"{data['product']} — {data.get('country', '')} {data.get('year', '')}"
    return data.get("title") or data.get("name") or ""
