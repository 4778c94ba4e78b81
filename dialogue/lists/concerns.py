"""The concern list's API FilterSet (the officials' inbox adds its own boxes to it)."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from dialogue.enums import ConcernStatus
from dialogue.lists.filters import (
    UNKNOWN_THREAT_CODE,
    KnownValueFilter,
    SectorFilterMixin,
    is_threat_code,
)
from dialogue.models import Concern

# ?response=overdue: open concerns past their first-response target, unanswered.
FIRST_RESPONSE_OVERDUE = "overdue"


class ConcernFilter(SectorFilterMixin):
    category = KnownValueFilter(
        field_name="category__code",
        label=_("Threat code, e.g. 2-2"),
        known=is_threat_code,
        unknown=UNKNOWN_THREAT_CODE,
    )
    status = df.ChoiceFilter(choices=ConcernStatus.choices)

    class Meta:
        model = Concern
        fields = ["sector", "category", "status", "marking", "search", "assigned_to"]
