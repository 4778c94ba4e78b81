"""The daily reminder sweep: due in 7 days, due tomorrow, overdue, and escalation."""

from __future__ import annotations

import datetime
from itertools import groupby

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from dialogue.enums import ActionStatus, JobKind, Marking, ReminderKind
from dialogue.mail import absolute, item_link, mail_safe_title, send_in_language
from dialogue.models import FollowUpAction, JobRun, Reminder, Sector, User
from dialogue.services.deliveries import claim, deliver, finish_run, new_token, start_run

OPEN = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def _queue_sql() -> tuple[str, str]:
    # Only table names are interpolated (from model metadata); every value is a parameter.
    reminder, action, sector = (m._meta.db_table for m in (Reminder, FollowUpAction, Sector))
    columns = "action_id, kind, due_on, recipient_id, created_at, claim_token, attempts, last_error"
    owners = f"""
        INSERT INTO {reminder} ({columns})
        SELECT a.id,
               CASE WHEN a.due_on = %(in_7)s THEN %(due_7d)s
                    WHEN a.due_on = %(in_1)s THEN %(due_1d)s
                    ELSE %(overdue)s END,
               a.due_on, a.owner_id, %(now)s, '', 0, ''
        FROM {action} a
        WHERE a.status IN (%(open)s, %(in_progress)s)
          AND (a.due_on = %(in_7)s OR a.due_on = %(in_1)s OR a.due_on < %(today)s)
        ON CONFLICT (action_id, kind, due_on) DO NOTHING
    """  # noqa: S608
    # RED actions are for named people only, so they never escalate by e-mail.
    escalations = f"""
        INSERT INTO {reminder} ({columns})
        SELECT a.id, %(escalation)s, a.due_on, s.lead_id, %(now)s, '', 0, ''
        FROM {action} a JOIN {sector} s ON s.id = a.sector_id
        WHERE a.status IN (%(open)s, %(in_progress)s)
          AND a.due_on <= %(escalate_before)s
          AND s.lead_id IS NOT NULL
          AND a.marking <> %(red)s
        ON CONFLICT (action_id, kind, due_on) DO NOTHING
    """  # noqa: S608
    return owners, escalations


def reminders_queue(today: datetime.date) -> int:
    """Write the ledger rows owed today in two set-based INSERT … SELECT statements.

    The unique (action, kind, due date) constraint makes a second sweep add nothing;
    a changed due date is a new key, so it earns new reminders.
    """
    ops = connection.ops
    params = {
        "today": ops.adapt_datefield_value(today),
        "in_1": ops.adapt_datefield_value(today + datetime.timedelta(days=1)),
        "in_7": ops.adapt_datefield_value(today + datetime.timedelta(days=7)),
        "escalate_before": ops.adapt_datefield_value(
            today - datetime.timedelta(days=settings.REMINDER_ESCALATE_AFTER_DAYS)
        ),
        "now": ops.adapt_datetimefield_value(timezone.now()),
        "open": ActionStatus.OPEN.value,
        "in_progress": ActionStatus.IN_PROGRESS.value,
        "due_7d": ReminderKind.DUE_IN_7_DAYS.value,
        "due_1d": ReminderKind.DUE_TOMORROW.value,
        "overdue": ReminderKind.OVERDUE.value,
        "escalation": ReminderKind.ESCALATION.value,
        "red": Marking.RED.value,
    }
    queued = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in _queue_sql():
            cursor.execute(sql, params)
            queued += max(cursor.rowcount, 0)
    return queued


def _reminder_groups(token: str):
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
        # Skip what no longer needs a reminder (closed since it was queued) or nobody can read.
        live = [r for r in group if r["action__status"] in OPEN]
        if not (recipient.is_active and recipient.email):
            live = []

        def send(recipient=recipient, live=live):
            if not live:
                return False

            def context():  # built in the recipient's language
                # A long list helps nobody: the first ones, then a link to the tracker.
                listed = live[: settings.REMINDER_MAX_LISTED]
                english = recipient.language == "en"
                items = [
                    {
                        "kind": ReminderKind(r["kind"]).label,
                        "title": mail_safe_title(
                            pk=r["action_id"],
                            title=r["action__title"],
                            marking=r["action__marking"],
                        ),
                        "due_on": r["action__due_on"],
                        "sector": (english and r["action__sector__name_en"])
                        or r["action__sector__name_ja"],
                        "link": item_link("action", r["action_id"], recipient),
                    }
                    for r in listed
                ]
                return {
                    "items": items,
                    "count": len(live),
                    "more": len(live) - len(listed),
                    "tracker_link": absolute("/actions/?overdue=true"),
                    "escalation": all(r["kind"] == ReminderKind.ESCALATION for r in live),
                }

            send_in_language(recipient=recipient, template="reminder", context=context)
            return True

        yield [r["id"] for r in group], send


def reminder_sweep(*, token: str | None = None, today: datetime.date | None = None) -> JobRun:
    """Queue today's reminders, then send one e-mail per recipient listing their actions.

    Safe to run twice, from two beats, or again after a worker died mid-run: each ledger
    row is written once and marked sent right after its e-mail.
    """
    token = token or new_token()
    run = start_run(JobKind.REMINDERS, token)
    run.queued = reminders_queue(today or timezone.localdate())
    claim(Reminder.objects.all(), token)
    deliver(_reminder_groups(token), Reminder, run)
    return finish_run(run)
