"""The dialogue-session list's API FilterSet (the page adds labelled boxes to it)."""

from __future__ import annotations

import django_filters as df

from dialogue.enums import SessionFormat, SessionStatus
from dialogue.lists.filters import SectorFilterMixin
from dialogue.models import DialogueSession

# The session list's `when`: the dashboard's panels (DialogueSessionQuerySet.upcoming/recent).
UPCOMING, RECENT = "upcoming", "recent"


class SessionFilter(SectorFilterMixin):
    sector_field = "sectors"
    status = df.ChoiceFilter(choices=SessionStatus.choices)
    format = df.ChoiceFilter(choices=SessionFormat.choices)
    forum = df.NumberFilter(field_name="forum", label="Forum id")
    held_after = df.DateFilter(field_name="held_on", lookup_expr="gte")
    held_before = df.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = DialogueSession
        fields = [
            "sector",
            "forum",
            "status",
            "format",
            "marking",
            "search",
            "held_after",
            "held_before",
        ]
