"""The daily reminder sweep: due in 7 days, due tomorrow, overdue, and escalation."""

from __future__ import annotations

import datetime
from functools import partial
from itertools import groupby
from operator import attrgetter
from typing import Any

from django.utils import timezone

from dialogue.disclosure import may_be_told
from dialogue.enums import ActionStatus, JobKind
from dialogue.mail import mail_send
from dialogue.mail.reminders import ReminderLine, reminder_mail
from dialogue.models import FollowUpAction, JobRun, Reminder, User
from dialogue.services.deliveries import (
    DeliveryGroups,
    claim,
    deliver,
    finish_run,
    new_token,
    start_run,
)
from dialogue.services.reminder_queue import LedgerRow, ledger_rows, queue_claimed, reminders_queue

__all__ = ["reminder_sweep", "reminders_queue"]

OPEN = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def claimed_rows(today: datetime.date, token: str) -> tuple[int, list[LedgerRow]]:
    """(rows written today, every row this run sends): what earlier runs left unsent (a
    failed e-mail, a worker that died) claimed first, then today's rows written already
    claimed; both in the e-mails' order."""
    claim(Reminder.objects.all(), token)
    earlier = ledger_rows(Reminder.objects.filter(claim_token=token, sent_at__isnull=True))
    today_rows = queue_claimed(today, token)
    if not earlier:
        return len(today_rows), today_rows
    return len(today_rows), sorted(earlier + today_rows, key=_email_order)


def _email_order(row: LedgerRow) -> tuple[Any, ...]:
    return (row.recipient_id, row.kind, row.due_on, row.action_id)


def _reminder_groups(rows: list[LedgerRow]) -> DeliveryGroups:
    """(ledger ids, send) per recipient; the e-mail's lines are made when it is sent."""
    groups = [(rid, list(group)) for rid, group in groupby(rows, key=attrgetter("recipient_id"))]
    recipients = User.objects.in_bulk([rid for rid, _ in groups])
    for recipient_id, group in groups:
        yield [row.id for row in group], partial(_send_reminder, recipients[recipient_id], group)


def _line(row: LedgerRow) -> ReminderLine:
    return ReminderLine(
        action_id=row.action_id,
        kind=row.kind,
        title=row.title,
        marking=row.marking,
        due_on=row.due_on,
        sector_name_ja=row.sector_name_ja,
        sector_name_en=row.sector_name_en,
    )


def _send_reminder(recipient: User, rows: list[LedgerRow]) -> bool:
    # Skip what no longer needs a reminder (closed since it was queued).
    still_open = [_line(row) for row in rows if row.status in OPEN]
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
    run.queued, rows = claimed_rows(today or timezone.localdate(), token)
    deliver(_reminder_groups(rows), Reminder, run)
    return finish_run(run)
