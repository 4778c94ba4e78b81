"""Writing the reminder ledger: every reminder and escalation owed today, in one statement.

Owners get their actions due in 7 days, due tomorrow and overdue (a RED action only
when the owner is named on it); each sector's active lead gets the long-overdue actions
of the sector that the lead may see, never RED ones. The unique (action, kind, due date)
constraint makes a second sweep add nothing; a changed due date is a new key, so it
earns new reminders.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from dialogue.disclosure import owner_may_see_action_sql
from dialogue.enums import ActionStatus, Marking, ReminderKind
from dialogue.models import FollowUpAction, Reminder, Sector, User


class LedgerRow(NamedTuple):
    """A ledger row with what its e-mail shows of the action."""

    id: int
    recipient_id: int
    kind: str
    action_id: int
    title: str
    due_on: datetime.date
    status: str
    marking: str
    sector_name_ja: str
    sector_name_en: str


# The ORM's names for LedgerRow's fields, in order, and the order e-mails list them in.
LEDGER_VALUES = (
    "id",
    "recipient_id",
    "kind",
    "action_id",
    "action__title",
    "action__due_on",
    "action__status",
    "action__marking",
    "action__sector__name_ja",
    "action__sector__name_en",
)
LEDGER_ORDER = ("recipient_id", "kind", "action__due_on", "action_id")


def ledger_rows(queryset: QuerySet[Reminder]) -> list[LedgerRow]:
    """The rows of a Reminder queryset as LedgerRows, in the e-mails' order."""
    rows = queryset.order_by(*LEDGER_ORDER).values_list(*LEDGER_VALUES)
    return [LedgerRow._make(row) for row in rows]


COLUMNS = (
    "action_id, kind, due_on, recipient_id, created_at, claim_token, claimed_at, attempts,"
    " last_error"
)

# Claimed now when written with a token. A CASE rather than a NULL parameter: a bare
# NULL in a UNION would be typed text on PostgreSQL.
CLAIMED_AT = "CASE WHEN %(token)s = '' THEN NULL ELSE %(now)s END"


def _owners_select() -> tuple[str, dict[str, Any]]:
    """The SELECT of every owner reminder owed today, to owners who may see the action (a
    RED action reaches its owner only when the owner is named on it)."""
    # Only table and column names are interpolated (from model metadata); values are parameters.
    action = FollowUpAction._meta.db_table
    owner_sees, params = owner_may_see_action_sql("a")
    sql = f"""
        SELECT a.id,
               CASE WHEN a.due_on = %(in_7)s THEN %(due_7d)s
                    WHEN a.due_on = %(in_1)s THEN %(due_1d)s
                    ELSE %(overdue)s END,
               a.due_on, a.owner_id, %(now)s, %(token)s, {CLAIMED_AT}, 0, ''
        FROM {action} a
        WHERE a.status IN (%(open)s, %(in_progress)s)
          AND (a.due_on = %(in_7)s OR a.due_on = %(in_1)s OR a.due_on < %(today)s)
          AND {owner_sees}
    """  # noqa: S608
    return sql, params


def _escalation_selects(today: datetime.date) -> tuple[list[str], dict[str, Any]]:
    """One SELECT per sector lead (a handful) of the long-overdue actions of their sectors
    that the lead may see, filtered by `visible_to(lead)` itself.

    RED actions are for named people only, so they never escalate by e-mail.
    """
    before = today - datetime.timedelta(days=settings.REMINDER_ESCALATE_AFTER_DAYS)
    sectors_by_lead: dict[int, list[int]] = {}
    for sector_id, lead_id in Sector.objects.filter(lead__isnull=False).values_list(
        "pk", "lead_id"
    ):
        sectors_by_lead.setdefault(lead_id, []).append(sector_id)
    selects: list[str] = []
    params: dict[str, Any] = {}
    for lead in User.objects.filter(pk__in=sectors_by_lead, is_active=True):
        visible = (
            FollowUpAction.objects.visible_to(lead)
            .open()
            .filter(sector__in=sectors_by_lead[lead.pk], due_on__lte=before)
            .exclude(marking=Marking.RED)
            .order_by()
            .values("pk")
        )
        subquery, sub_params = visible.query.sql_with_params()
        subquery, named = _named_params(subquery, sub_params, prefix=f"lead{lead.pk}_")
        params |= named | {f"lead{lead.pk}": lead.pk}
        selects.append(f"""
            SELECT a.id, %(escalation)s, a.due_on, %(lead{lead.pk})s, %(now)s, %(token)s,
                   {CLAIMED_AT}, 0, ''
            FROM {FollowUpAction._meta.db_table} a
            WHERE a.id IN ({subquery})
        """)  # noqa: S608
    return selects, params


def _named_params(sql: str, params: Any, prefix: str) -> tuple[str, dict[str, Any]]:
    """A compiled query's positional parameters (`%s`) as named ones (`%(prefix0)s` …), so
    that it can join a statement written with named parameters (`%%` stays a literal)."""
    values = iter(params)
    named: dict[str, Any] = {}

    def rename(match: re.Match[str]) -> str:
        if match.group() == "%%":
            return "%%"
        name = f"{prefix}{len(named)}"
        named[name] = next(values)
        return f"%({name})s"

    return re.sub(r"%%|%s", rename, sql), named


def _queue_statement(
    today: datetime.date, token: str, now: datetime.datetime
) -> tuple[str, dict[str, Any]]:
    """The INSERT … SELECT of every ledger row owed today, claimed by `token` if one is
    given, and its parameters."""
    ops = connection.ops
    owners, owners_params = _owners_select()
    escalations, escalation_params = _escalation_selects(today)
    params = {
        **owners_params,
        **escalation_params,
        "today": ops.adapt_datefield_value(today),
        "in_1": ops.adapt_datefield_value(today + datetime.timedelta(days=1)),
        "in_7": ops.adapt_datefield_value(today + datetime.timedelta(days=7)),
        "now": ops.adapt_datetimefield_value(now),
        "token": token,
        "open": ActionStatus.OPEN.value,
        "in_progress": ActionStatus.IN_PROGRESS.value,
        "due_7d": ReminderKind.DUE_IN_7_DAYS.value,
        "due_1d": ReminderKind.DUE_TOMORROW.value,
        "overdue": ReminderKind.OVERDUE.value,
        "escalation": ReminderKind.ESCALATION.value,
    }
    selects = " UNION ALL ".join([owners, *escalations])
    sql = f"""
        INSERT INTO {Reminder._meta.db_table} ({COLUMNS})
        {selects}
        ON CONFLICT (action_id, kind, due_on) DO NOTHING
    """
    return sql, params


def reminders_queue(today: datetime.date, token: str = "") -> int:
    """Write the ledger rows owed today (claimed by `token` if one is given); returns how
    many were new."""
    sql, params = _queue_statement(today, token, timezone.now())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        written: int = max(cursor.rowcount, 0)
    return written


def queue_claimed(today: datetime.date, token: str) -> list[LedgerRow]:
    """Write the ledger rows owed today, claimed by `token`, and return them with what
    their e-mails show, in the e-mails' order.

    On PostgreSQL one statement writes and reads them (the insert's RETURNING joined to
    the actions), as an expert would; reading them back afterwards costs almost as much
    again, because the planner has no statistics on rows written a moment ago. Elsewhere
    (SQLite, the embedded default) they are written, then read by their token and the
    time they were written.
    """
    now = timezone.now()
    sql, params = _queue_statement(today, token, now)
    if connection.vendor != "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
        written_now = Reminder.objects.filter(claim_token=token, created_at=now)
        return ledger_rows(written_now)
    action, sector = FollowUpAction._meta.db_table, Sector._meta.db_table
    statement = f"""
        WITH written AS ({sql} RETURNING id, recipient_id, kind, action_id)
        SELECT w.id, w.recipient_id, w.kind, w.action_id, a.title, a.due_on, a.status,
               a.marking, s.name_ja, s.name_en
        FROM written w
        JOIN {action} a ON a.id = w.action_id
        JOIN {sector} s ON s.id = a.sector_id
        ORDER BY w.recipient_id, w.kind, a.due_on, w.action_id
    """  # noqa: S608 - table names from model metadata; values are parameters
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [LedgerRow._make(row) for row in cursor.fetchall()]
