"""The daily referral reminder: referrals waiting too long for the company's consent or for
the support organization's answer, to the concern's assigned official.

A referral waiting REFERRAL_REMINDER_AFTER_DAYS since its status last changed earns one
reminder per wait: the unique (referral, wait, waiting since) ledger row makes a second
sweep add nothing, and a new status starts a new wait.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from functools import partial
from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dialogue.disclosure import may_be_told
from dialogue.enums import JobKind, ReferralStatus, ReferralWait
from dialogue.mail import mail_send
from dialogue.mail.referrals import ReferralReminderLine, referral_reminder_mail
from dialogue.models import Concern, JobRun, Referral, ReferralReminder, User
from dialogue.services.deliveries import (
    DeliveryGroups,
    claim,
    deliver,
    finish_run,
    new_token,
    start_run,
)


def referral_reminders_queue(now: datetime.datetime) -> int:
    """Ledger rows for the referrals waiting longer than the setting allows."""
    before = now - datetime.timedelta(days=settings.REFERRAL_REMINDER_AFTER_DAYS)
    waiting = (
        Referral.objects.waiting()
        .filter(status_changed_at__lte=before)
        .values_list("pk", "status", "status_changed_at", "concern__assigned_to", "proposed_by")
    )
    rows = [
        ReferralReminder(
            referral_id=pk,
            wait=ReferralWait.CONSENT if status == ReferralStatus.PROPOSED else ReferralWait.ANSWER,
            waiting_since=since,
            # The concern's assigned official; the proposer while nobody is assigned.
            recipient_id=assigned or proposer,
        )
        for pk, status, since, assigned, proposer in waiting
    ]
    with transaction.atomic():
        before_count = ReferralReminder.objects.count()
        ReferralReminder.objects.bulk_create(rows, ignore_conflicts=True)
        return ReferralReminder.objects.count() - before_count


def _groups(token: str) -> DeliveryGroups:
    rows = (
        ReferralReminder.objects.filter(claim_token=token, sent_at__isnull=True)
        .select_related("referral", "referral__concern")
        .order_by("recipient_id", "referral__concern_id", "referral__number")
    )
    grouped = [(rid, list(group)) for rid, group in groupby(rows, key=lambda r: r.recipient_id)]
    recipients = User.objects.in_bulk([rid for rid, _ in grouped])
    for recipient_id, group in grouped:
        lines = list(_lines(group))
        yield [r.pk for r in group], partial(_send, recipients[recipient_id], lines)


def _lines(group: list[ReferralReminder]) -> Iterator[ReferralReminderLine]:
    for row in group:
        referral = row.referral
        # Skip what no longer waits (answered since it was queued).
        if referral.status_changed_at != row.waiting_since:
            continue
        concern = referral.concern
        yield ReferralReminderLine(
            concern_id=concern.pk,
            concern_title=concern.title,
            marking=concern.marking,
            number=referral.number,
            wait=row.wait,
            waiting_since=row.waiting_since,
        )


def _send(recipient: User, lines: list[ReferralReminderLine]) -> bool:
    # Visibility may have changed since queueing: only concerns the recipient may see now.
    told = may_be_told(recipient, Concern, [line.concern_id for line in lines])
    live = [line for line in lines if line.concern_id in told]
    if not live:
        return False
    mail_send(referral_reminder_mail(recipient=recipient, lines=live))
    return True


def referral_reminder_sweep(
    *, token: str | None = None, now: datetime.datetime | None = None
) -> JobRun:
    """Queue the referral reminders owed now, then send one e-mail per official."""
    token = token or new_token()
    run = start_run(JobKind.REFERRAL_REMINDERS, token)
    run.queued = referral_reminders_queue(now or timezone.now())
    claim(ReferralReminder.objects.all(), token)
    deliver(_groups(token), ReferralReminder, run)
    return finish_run(run)
