"""The daily reminder sweep: due in 7 days, due tomorrow, overdue, and escalation."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from functools import partial
from itertools import groupby
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from dialogue.disclosure import may_be_told, owner_may_see_action_sql
from dialogue.enums import ActionStatus, JobKind, Marking, ReminderKind
from dialogue.mail import mail_send
from dialogue.mail.reminders import ReminderLine, reminder_mail
from dialogue.models import FollowUpAction, JobRun, Reminder, Sector, User
from dialogue.services.deliveries import (
    DeliveryGroups,
    claim,
    deliver,
    finish_run,
    new_token,
    start_run,
)

OPEN = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


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


def reminders_queue(today: datetime.date, token: str = "") -> int:
    """Write the ledger rows owed today in one INSERT … SELECT: the owners' reminders and
    every sector lead's escalations, claimed by `token` as they are written (so the sweep
    needs no second pass over them to claim them).

    The unique (action, kind, due date) constraint makes a second sweep add nothing;
    a changed due date is a new key, so it earns new reminders.
    """
    ops = connection.ops
    now = timezone.now()
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
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def queue_and_claim(today: datetime.date, token: str) -> int:
    """Today's ledger rows written as ours, then what earlier runs left unsent (a failed
    e-mail, a worker that died) claimed too; returns the rows written today."""
    queued = reminders_queue(today, token)
    claim(Reminder.objects.exclude(claim_token=token), token)
    return queued


def _reminder_groups(token: str) -> DeliveryGroups:
    """(ledger ids, send) per recipient. Rows are read as plain values: a first sweep
    after a backlog can hold tens of thousands, and only what the e-mail shows is read."""
    rows = (
        Reminder.objects.filter(claim_token=token, sent_at__isnull=True)
        .order_by("recipient_id", "kind", "action__due_on", "action_id")
        .values(
            "id",
            "kind",
            "recipient_id",
            "action_id",
            "action__title",
            "action__due_on",
            "action__status",
            "action__marking",
            "action__sector__name_ja",
            "action__sector__name_en",
        )
    )
    groups = [(rid, list(group)) for rid, group in groupby(rows, key=lambda r: r["recipient_id"])]
    recipients = User.objects.in_bulk([rid for rid, _ in groups])
    for recipient_id, group in groups:
        recipient = recipients[recipient_id]
        # Skip what no longer needs a reminder (closed since it was queued).
        still_open = [_line(r) for r in group if r["action__status"] in OPEN]
        yield [r["id"] for r in group], partial(_send_reminder, recipient, still_open)


def _line(row: Mapping[str, Any]) -> ReminderLine:
    return ReminderLine(
        action_id=row["action_id"],
        kind=row["kind"],
        title=row["action__title"],
        marking=row["action__marking"],
        due_on=row["action__due_on"],
        sector_name_ja=row["action__sector__name_ja"],
        sector_name_en=row["action__sector__name_en"],
    )


def _send_reminder(recipient: User, still_open: list[ReminderLine]) -> bool:
    # Visibility may have changed since queueing (marked RED, moved to another sector …):
    # checked again right before the e-mail, one query per recipient.
    told = may_be_told(recipient, FollowUpAction, [line.action_id for line in still_open])
    live = [line for line in still_open if line.action_id in told]
    if not live:
        return False
    mail_send(reminder_mail(recipient=recipient, reminders=live))
    return True


def reminder_sweep(*, token: str | None = None, today: datetime.date | None = None) -> JobRun:
    """Queue today's reminders, then send one e-mail per recipient listing their actions.

    Safe to run twice, from two beats, or again after a worker died mid-run: each ledger
    row is written once and marked sent right after its e-mail.
    """
    token = token or new_token()
    run = start_run(JobKind.REMINDERS, token)
    run.queued = queue_and_claim(today or timezone.localdate(), token)
    deliver(_reminder_groups(token), Reminder, run)
    return finish_run(run)
