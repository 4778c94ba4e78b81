"""Recording a dialogue session in one go: the session, its people and agenda, the threats
and follow-up actions it identified, and the existing threats it is the source of.

One transaction holds it all. Every new row is tried, so that each refused row can be
named at once; if any is refused, `SessionRecordRefused` carries the reasons by table and
position and the transaction rolls back: nothing at all is saved.

Rows inherit the session's marking. A TLP:RED session is visible only to the people named
on it, so it names the official who records it (or turns it RED), and its rows name the
same people.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from dialogue.enums import Marking
from dialogue.models import (
    AgendaItem,
    ChokepointTechnology,
    Dependency,
    DialogueSession,
    Forum,
    Organization,
    Sector,
    Threat,
    User,
)
from dialogue.permissions import can_manage_sector
from dialogue.services.actions import action_create
from dialogue.services.sessions import session_create, session_update
from dialogue.services.threats import threat_create, threat_update


@dataclass(frozen=True)
class ParticipantRow:
    name: str
    organization: Organization | None = None
    affiliation: str = ""


@dataclass(frozen=True)
class AgendaRow:
    """An agenda item, with the threat, the chokepoint and the dependency it raises (each
    optional)."""

    topic: str
    note: str = ""
    threat: Threat | None = None
    chokepoint: ChokepointTechnology | None = None
    dependency: Dependency | None = None


@dataclass(frozen=True)
class ThreatRow:
    """A threat identified in the session; without a sector it takes the session's first,
    without a marking the session's."""

    title: str
    code: str
    likelihood: int
    impact: int
    sector: Sector | None = None
    description: str = ""
    marking: str | None = None


@dataclass(frozen=True)
class ActionRow:
    """A follow-up action agreed in the session; without a sector it takes the session's first."""

    title: str
    owner: User
    due_on: datetime.date
    pillar: str
    sector: Sector | None = None


class SessionRecordRefused(ValidationError):
    """Part of the record was refused; the transaction rolled back and nothing was saved.

    Errors on the session's own fields are the error_dict (e.g. "linked_threats");
    `rows` maps a table ("threats", "actions") to {position in that table: its error},
    with the field names of ThreatRow and ActionRow.
    """

    def __init__(
        self, *, fields: dict[str, list[str]], rows: dict[str, dict[int, ValidationError]]
    ):
        super().__init__(fields)
        self.rows = rows


def _organizations_of(rows: Sequence[ParticipantRow]) -> list[Organization]:
    """The participating organizations, as the participants name them (each once)."""
    found = {row.organization.pk: row.organization for row in rows if row.organization}
    return list(found.values())


def _participant_values(rows: Sequence[ParticipantRow]) -> list[dict[str, Any]]:
    return [
        {"name": row.name, "organization": row.organization, "affiliation": row.affiliation}
        for row in rows
    ]


def _agenda_values(rows: Sequence[AgendaRow]) -> list[dict[str, Any]]:
    return [
        {
            "topic": row.topic,
            "note": row.note,
            **{name: getattr(row, name) for name in AgendaItem.LINK_FIELDS},
        }
        for row in rows
    ]


def _row_marking(session: DialogueSession) -> dict[str, Any]:
    values: dict[str, Any] = {"marking": session.marking}
    if session.marking == Marking.RED:
        values["named_users"] = list(session.named_users.all())
    return values


def _threat_error(error: ValidationError) -> ValidationError:
    # The service names the threat's category; the row names it by its code.
    if hasattr(error, "error_dict") and "category" in error.error_dict:
        errors = dict(error.error_dict)
        return ValidationError({"code": errors.pop("category"), **errors})
    return error


def _no_sector() -> ValidationError:
    return ValidationError(
        {"sector": _("Choose a sector: this session names none.")}, code="required"
    )


def _own_marking(user: User, row: ThreatRow, inherited: dict[str, Any]) -> dict[str, Any]:
    """A row's own marking, else the session's; a row made RED names its author."""
    if row.marking is None or row.marking == inherited["marking"]:
        return inherited
    if row.marking == Marking.RED:
        return {"marking": row.marking, "named_users": [user]}
    return {"marking": row.marking}


def _create_threats(
    user: User,
    session: DialogueSession,
    rows: Sequence[ThreatRow],
    default_sector: Sector | None,
    marking: dict[str, Any],
) -> dict[int, ValidationError]:
    refused: dict[int, ValidationError] = {}
    for position, row in enumerate(rows):
        sector = row.sector or default_sector
        if sector is None:
            refused[position] = _no_sector()
            continue
        try:
            threat_create(
                actor=user,
                title=row.title,
                sector=sector,
                category=row.code,
                likelihood=row.likelihood,
                impact=row.impact,
                description=row.description,
                source_session=session,
                **_own_marking(user, row, marking),
            )
        except ValidationError as error:
            refused[position] = _threat_error(error)
    return refused


def _create_actions(
    user: User,
    session: DialogueSession,
    rows: Sequence[ActionRow],
    default_sector: Sector | None,
    marking: dict[str, Any],
) -> dict[int, ValidationError]:
    refused: dict[int, ValidationError] = {}
    for position, row in enumerate(rows):
        sector = row.sector or default_sector
        if sector is None:
            refused[position] = _no_sector()
            continue
        try:
            action_create(
                actor=user,
                title=row.title,
                sector=sector,
                owner=row.owner,
                due_on=row.due_on,
                pillar=row.pillar,
                session=session,
                **marking,
            )
        except ValidationError as error:
            refused[position] = error
    return refused


def _link_threats(user: User, session: DialogueSession, linked: Sequence[Threat]) -> list[str]:
    """Make `linked` the threats this session is the source of, among those the user may see.

    A threat can come from one session only. Threats the user cannot see, or whose sector
    they do not manage, stay linked as they are.
    """
    visible = Threat.objects.visible_to(user).select_related("sector")
    wanted = {threat.pk for threat in linked}
    chosen = list(
        visible.filter(pk__in=wanted)
        .filter(Q(source_session__isnull=True) | Q(source_session=session))
        .order_by("pk")
    )
    messages: list[str] = []
    if len(chosen) != len(wanted):
        messages.append(_("One of the chosen threats cannot be linked to this session."))
    already = list(visible.filter(source_session=session).order_by("pk"))
    for threat in chosen:
        if threat.source_session_id == session.pk:
            continue
        try:
            threat_update(threat=threat, actor=user, changes={"source_session": session})
        except ValidationError as error:
            messages.extend(error.messages)
    for threat in already:
        if threat.pk not in wanted and can_manage_sector(user, threat.sector):
            threat_update(threat=threat, actor=user, changes={"source_session": None})
    return messages


def _record_rows(
    user: User,
    session: DialogueSession,
    *,
    threats: Sequence[ThreatRow],
    actions: Sequence[ActionRow],
    linked_threats: Sequence[Threat],
) -> None:
    """Create the rows and set the links; raise SessionRecordRefused if any was refused."""
    # Links first: the threats created below are this session's too, and stay so.
    link_errors = _link_threats(user, session, linked_threats)
    # None for an international session that names no sector: each row names its own.
    default_sector = session.sectors.order_by("sort_order", "code").first()
    marking = _row_marking(session)
    rows = {
        "threats": _create_threats(user, session, threats, default_sector, marking),
        "actions": _create_actions(user, session, actions, default_sector, marking),
    }
    fields = {"linked_threats": link_errors} if link_errors else {}
    rows = {table: errors for table, errors in rows.items() if errors}
    if fields or rows:
        raise SessionRecordRefused(fields=fields, rows=rows)


@transaction.atomic
def session_record(
    *,
    user: User,
    title: str,
    sectors: Sequence[Sector],
    held_on: datetime.date,
    format: str,
    forum: Forum | None = None,
    marking: str = Marking.AMBER,
    minutes: str = "",
    chokepoints: Sequence[ChokepointTechnology] = (),
    participants: Sequence[ParticipantRow] = (),
    agenda: Sequence[AgendaRow] = (),
    threats: Sequence[ThreatRow] = (),
    actions: Sequence[ActionRow] = (),
    linked_threats: Sequence[Threat] = (),
) -> DialogueSession:
    """Record a new session with all its rows, or nothing (SessionRecordRefused,
    ValidationError, PermissionDeniedError). The participating organizations are those
    the participants name."""
    session = session_create(
        actor=user,
        title=title,
        sectors=list(sectors),
        held_on=held_on,
        format=format,
        forum=forum,
        marking=marking,
        minutes=minutes,
        participating_organizations=_organizations_of(participants),
        chokepoints=list(chokepoints),
        named_users=[user] if marking == Marking.RED else [],
        participants=_participant_values(participants),
        agenda=_agenda_values(agenda),
    )
    _record_rows(user, session, threats=threats, actions=actions, linked_threats=linked_threats)
    return session


@transaction.atomic
def session_revise(
    *,
    user: User,
    session: DialogueSession,
    changes: dict[str, Any],
    expected_version: int | None = None,
    participants: Sequence[ParticipantRow] | None = None,
    agenda: Sequence[AgendaRow] | None = None,
    threats: Sequence[ThreatRow] = (),
    actions: Sequence[ActionRow] = (),
    linked_threats: Sequence[Threat] = (),
) -> DialogueSession:
    """Change a recorded session and add rows to it, or nothing.

    `changes` holds only the session fields that changed (SESSION_UPDATABLE); people and
    agenda, when given, replace the old ones; `linked_threats` is the whole set of
    threats the session should be the source of. A stale `expected_version` raises
    StaleVersionError. With new participants the participating organizations follow
    them; organizations the user may not see stay as they are.
    """
    if participants is not None:
        hidden = session.participating_organizations.exclude(
            pk__in=Organization.objects.visible_to(user).values("pk")
        )
        wanted = [*_organizations_of(participants), *hidden]
        current = set(session.participating_organizations.values_list("pk", flat=True))
        if {org.pk for org in wanted} != current:
            changes = {**changes, "participating_organizations": wanted}
    if changes.get("marking") == Marking.RED and "named_users" not in changes:
        named = list(session.named_users.all())
        if user not in named:
            changes = {**changes, "named_users": [*named, user]}
    session = session_update(
        session=session,
        actor=user,
        changes=changes,
        participants=None if participants is None else _participant_values(participants),
        agenda=None if agenda is None else _agenda_values(agenda),
        expected_version=expected_version,
    )
    _record_rows(user, session, threats=threats, actions=actions, linked_threats=linked_threats)
    return session
