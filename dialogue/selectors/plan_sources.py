"""Traceability, "why is this here": the sources behind each line of a plan revision.

A threat line comes from a dialogue session and/or a concern; an action from a
threat, a session and/or a concern; a chokepoint from the sessions that discussed
it. Sources are live records looked up at read time, and each is cited only when
the reader may see it now (`visible_to(user)`) and, with a maximum marking, only
within it. A concern is cited by number only, never by title or organization,
and never in an export capped for wider circulation: company identities stay out.
A session is cited by date and number ("session of 2026-10-23 (#12)"): its title
often names the company heard, so it is copied only onto workspace pages
(`session_titles=True`), never into a file. Sources a reader may not see are left
out without a trace (not even a count).

The lookups are one query per source kind whatever the number of lines.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import BigIntegerField, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from dialogue.enums import Marking
from dialogue.models import Concern, DialogueSession, PlanRevisionItem, User
from dialogue.selectors.plans import reading_marking, with_live_marking

Kind = PlanRevisionItem.Kind

SOURCE_KINDS = {
    "session": _("Dialogue session"),
    "concern": _("Concern"),
    "threat": _("Threat"),
}


@dataclass(frozen=True)
class Source:
    kind: str  # "session" | "concern" | "threat"
    pk: int
    title: str = ""
    date: datetime.date | None = None
    marking: str = ""
    url: str = ""

    @property
    def kind_label(self) -> str:
        return str(SOURCE_KINDS[self.kind])

    def reference(self) -> str:
        """A short citation: "Dialogue session of 2025-01-10 (#12)", "Threat #3 Title"."""
        if self.kind == "session" and not self.title:
            if self.date:
                return _("Dialogue session of %(date)s (#%(id)s)") % {
                    "date": self.date,
                    "id": self.pk,
                }
            return _("Dialogue session (#%(id)s)") % {"id": self.pk}
        parts = [f"{self.kind_label} #{self.pk}"]
        if self.date:
            parts.append(str(self.date))
        if self.title:
            parts.append(self.title)
        return " ".join(parts)


def workspace_url(name: str, pk: int) -> str:
    """The workspace address of a record, or "" while its page does not exist."""
    try:
        return settings.SITE_URL.rstrip("/") + reverse(f"workspace:{name}", args=[pk])
    except NoReverseMatch:
        return ""


def _ids(
    items: QuerySet[PlanRevisionItem], kinds: list[str], key: str
) -> QuerySet[PlanRevisionItem, dict[str, Any]]:
    """A subquery of the ids stored under data[key] in `items` of `kinds`."""
    return (
        items.filter(kind__in=kinds)
        .annotate(source_id=Cast(KT(f"data__{key}"), BigIntegerField()))
        .filter(source_id__isnull=False)
        .values("source_id")
    )


@dataclass
class SourceIndex:
    sessions: dict[int, Source] = field(default_factory=dict)
    concerns: dict[int, Source] = field(default_factory=dict)
    threats: dict[int, Source] = field(default_factory=dict)
    chokepoint_sessions: dict[int, list[Source]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        *,
        items: QuerySet[PlanRevisionItem],
        user: User,
        allowed: list[str] | None,
        absolute: bool = True,
        session_titles: bool = False,
    ) -> SourceIndex:
        """Sources of `items` (readable PlanRevisionItems of one revision) that `user` may see.

        Session titles only with `session_titles` (workspace pages): files cite by date.
        """
        index = cls()

        def title(value: str) -> str:
            return value if session_titles else ""

        sessions = DialogueSession.objects.visible_to(user)
        if allowed is not None:
            sessions = sessions.filter(marking__in=allowed)
        referenced = _ids(items, [Kind.THREAT, Kind.ACTION], "source_session")
        for pk, name, held_on, marking in sessions.filter(pk__in=referenced).values_list(
            "pk", "title", "held_on", "marking"
        ):
            index.sessions[pk] = Source(
                "session", pk, title(name), held_on, marking, _url("session-detail", pk, absolute)
            )
        through = DialogueSession.chokepoints.through
        chokepoint_ids = items.filter(kind=Kind.CHOKEPOINT).values("object_id")
        rows = (
            through.objects.filter(
                chokepointtechnology_id__in=chokepoint_ids,
                dialoguesession_id__in=sessions.values("pk"),
            )
            .order_by("chokepointtechnology_id", "-dialoguesession__held_on", "dialoguesession_id")
            .values_list(
                "chokepointtechnology_id",
                "dialoguesession_id",
                "dialoguesession__title",
                "dialoguesession__held_on",
                "dialoguesession__marking",
            )
        )
        for chokepoint_id, pk, name, held_on, marking in rows:
            index.chokepoint_sessions.setdefault(chokepoint_id, []).append(
                Source(
                    "session",
                    pk,
                    title(name),
                    held_on,
                    marking,
                    _url("session-detail", pk, absolute),
                )
            )
        # Concerns only for exports that stay with officials (no maximum marking), by number.
        if allowed is None:
            referenced = _ids(items, [Kind.THREAT, Kind.ACTION], "source_concern")
            for pk, marking in (
                Concern.objects.visible_to(user)
                .filter(pk__in=referenced)
                .values_list("pk", "marking")
            ):
                index.concerns[pk] = Source(
                    "concern", pk, marking=marking, url=_url("concern-detail", pk, absolute)
                )
        # An action's threat, as this revision holds it.
        referenced = _ids(items, [Kind.ACTION], "source_threat")
        for threat_id, threat_title, then, now in (
            with_live_marking(items.filter(kind=Kind.THREAT, object_id__in=referenced))
            .annotate(title=KT("data__title"))
            .values_list("object_id", "title", "marking", "live_marking")
        ):
            if threat_id is None:  # never: `object_id__in` matches no NULL
                continue
            marking = reading_marking(then, now)
            index.threats[threat_id] = Source(
                "threat",
                threat_id,
                threat_title,
                marking=marking,
                url=_url("threat-detail", threat_id, absolute),
            )
        return index

    def for_item(self, kind: str, object_id: int | None, data: dict[str, Any]) -> list[Source]:
        found: list[Source] = []
        if kind == Kind.CHOKEPOINT:
            if object_id is None:
                return []
            return list(self.chokepoint_sessions.get(object_id, []))
        if kind == Kind.ACTION and data.get("source_threat") in self.threats:
            found.append(self.threats[data["source_threat"]])
        if data.get("source_session") in self.sessions:
            found.append(self.sessions[data["source_session"]])
        if data.get("source_concern") in self.concerns:
            found.append(self.concerns[data["source_concern"]])
        return found

    def markings(self) -> set[str]:
        cited = [*self.sessions.values(), *self.concerns.values(), *self.threats.values()]
        cited += [s for sources in self.chokepoint_sessions.values() for s in sources]
        return {source.marking for source in cited if source.marking in Marking.values}


def _url(name: str, pk: int, absolute: bool) -> str:
    url = workspace_url(name, pk)
    if url and not absolute:
        return url[len(settings.SITE_URL.rstrip("/")) :]
    return url
