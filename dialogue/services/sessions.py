"""Writes on dialogue sessions: one flow records the session, its people and its agenda."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue.enums import Marking, SessionFormat, SessionStatus
from dialogue.models import (
    AgendaItem,
    ChokepointTechnology,
    DialogueSession,
    Forum,
    Organization,
    Participant,
    Sector,
    User,
)
from dialogue.permissions import can_record_session
from dialogue.services.common import (
    PermissionDeniedError,
    apply_changes,
    attribute_history,
    check_transition,
    lock_for_update,
    save_validated,
)
from dialogue.workflows import SESSION_TRANSITIONS

SESSION_UPDATABLE = {
    "title",
    "held_on",
    "format",
    "marking",
    "minutes",
    "sectors",
    "forum",
    "participating_organizations",
    "chokepoints",
    "named_users",
}


def _require_scope(
    actor: User, sectors: Sequence[Sector], forum: Forum | None, format: str
) -> None:
    """A session names a forum, sectors or both: an international session a forum (its
    sectors are then optional), a hearing or a roundtable at least one sector."""
    if format == SessionFormat.INTERNATIONAL and forum is None:
        raise ValidationError(
            {"forum": _("An international session belongs to a forum: choose one.")},
            code="required",
        )
    if forum is not None and format != SessionFormat.INTERNATIONAL:
        raise ValidationError(
            {"forum": _("Only international sessions belong to a forum.")}, code="invalid"
        )
    if not sectors and forum is None:
        raise ValidationError({"sectors": _("Choose at least one sector.")}, code="required")
    _require_permission(actor, sectors, forum)


def _require_permission(actor: User, sectors: Sequence[Sector], forum: Forum | None) -> None:
    if not can_record_session(actor, sectors, forum):
        raise PermissionDeniedError(
            _("You can record sessions only for your own sectors and forums.")
        )


def require_session_manager(actor: User, session: DialogueSession) -> None:
    """The actor may change this session as it stands (its sectors, its forum)."""
    _require_permission(actor, list(session.sectors.all()), session.forum)


def _check_agenda_links(actor: User, agenda: list[dict[str, Any]]) -> None:
    """An agenda item links only threats, chokepoints and dependencies the actor may see."""
    for name, model in AgendaItem.link_models().items():
        ids = {row[name].pk for row in agenda if row.get(name) is not None}
        if ids and model.objects.visible_to(actor).filter(pk__in=ids).count() != len(ids):
            raise ValidationError(
                {
                    "agenda": _(
                        "An agenda item links a threat, chokepoint or dependency "
                        "that does not exist."
                    )
                },
                code="invalid",
            )


def _replace_children(
    actor: User, existing: Iterable[models.Model], rows: Iterable[models.Model]
) -> None:
    # Saved one by one (a handful per session) so that each change lands in the history.
    for old in existing:
        attribute_history(old, actor)
        old.delete()
    for row in rows:
        save_validated(row, actor=actor)


def _replace_participants(
    actor: User, session: DialogueSession, participants: Iterable[dict[str, Any]]
) -> None:
    rows = [Participant(session=session, **row) for row in participants]
    _replace_children(actor, session.participants.all(), rows)


def _replace_agenda(
    actor: User, session: DialogueSession, agenda: Iterable[dict[str, Any]]
) -> None:
    rows = [AgendaItem(session=session, position=i, **row) for i, row in enumerate(agenda)]
    _replace_children(actor, session.agenda_items.all(), rows)


@transaction.atomic
def session_create(
    *,
    actor: User,
    title: str,
    sectors: Sequence[Sector],
    held_on: datetime.date,
    format: str,
    forum: Forum | None = None,
    marking: str = Marking.AMBER,
    minutes: str = "",
    participating_organizations: Sequence[Organization] = (),
    participants: Iterable[dict[str, Any]] = (),
    agenda: Iterable[dict[str, Any]] = (),
    chokepoints: Sequence[ChokepointTechnology] = (),
    named_users: Sequence[User] = (),
) -> DialogueSession:
    _require_scope(actor, sectors, forum, format)
    participants = list(participants)
    # A session recorded after the day it was held is held, not planned.
    held = held_on <= timezone.localdate()
    session = DialogueSession(
        title=title,
        held_on=held_on,
        format=format,
        forum=forum,
        marking=marking,
        minutes=minutes,
        status=SessionStatus.HELD if held else SessionStatus.PLANNED,
        created_by=actor,
    )
    save_validated(session, actor=actor)
    session.sectors.set(sectors)
    # The organizations the participants name took part, whether or not listed.
    named = {p["organization"] for p in participants if p.get("organization") is not None}
    session.participating_organizations.set({*participating_organizations, *named})
    session.chokepoints.set(chokepoints)
    session.named_users.set(named_users)
    _replace_participants(actor, session, participants)
    _replace_agenda(actor, session, agenda)
    return session


@transaction.atomic
def session_update(
    *,
    session: DialogueSession,
    actor: User,
    changes: dict[str, Any],
    participants: Iterable[dict[str, Any]] | None = None,
    agenda: Iterable[dict[str, Any]] | None = None,
    expected_version: int | None = None,
) -> DialogueSession:
    require_session_manager(actor, session)
    if {"sectors", "forum", "format"} & changes.keys():
        _require_scope(
            actor,
            changes["sectors"] if "sectors" in changes else list(session.sectors.all()),
            changes.get("forum", session.forum),
            changes.get("format", session.format),
        )
    session = apply_changes(
        session,
        actor=actor,
        changes=changes,
        allowed=SESSION_UPDATABLE,
        expected_version=expected_version,
    )
    if participants is not None:
        _replace_participants(actor, session, participants)
    if agenda is not None:
        _replace_agenda(actor, session, agenda)
    return session


@transaction.atomic
def session_change_status(
    *, session: DialogueSession, actor: User, status: str, expected_version: int | None = None
) -> DialogueSession:
    """planned → held → minutes approved."""
    require_session_manager(actor, session)
    session = lock_for_update(session, expected_version)
    check_transition(SESSION_TRANSITIONS, SessionStatus, session.status, status)
    session.status = status
    save_validated(session, actor=actor, update_fields=["status"])
    return session
