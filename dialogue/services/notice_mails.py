"""The notice e-mail rounds: each company user is e-mailed the new notices addressed to
them, immediately, daily or weekly as they chose, through a once-only ledger."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from functools import partial
from itertools import groupby

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dialogue.enums import JobKind, NoticeFrequency, Role
from dialogue.mail import mail_send
from dialogue.mail.notices import notice_mail
from dialogue.models import JobRun, Notice, NoticeMail, NoticeRead, User
from dialogue.services.deliveries import (
    DeliveryGroups,
    claim,
    deliver,
    finish_run,
    new_token,
    start_run,
)


def _subscribers(frequencies: Sequence[str]) -> QuerySet[User]:
    return (
        User.objects.filter(
            is_active=True,
            role=Role.COMPANY,
            organization__isnull=False,
            notice_frequency__in=frequencies,
        )
        .exclude(email="")
        .order_by("organization_id", "pk")
    )


def _unread_addressed(user: User) -> QuerySet[Notice]:
    read = NoticeRead.objects.filter(notice=OuterRef("pk"), user=user)
    return Notice.objects.addressed_to(user).filter(~Exists(read))


def notice_mails_queue(*, frequencies: Sequence[str]) -> int:
    """A ledger row per (notice, person) owed: published notices addressed to the person,
    unread, from the day they joined on. One query per organization (the audience rule
    depends on the organization only) and one insert."""
    queued = 0
    for _org, people in groupby(_subscribers(frequencies), key=lambda user: user.organization_id):
        members = list(people)
        owed = list(Notice.objects.addressed_to(members[0]).values_list("pk", "publish_on"))
        if not owed:
            continue
        owed_ids = [notice_id for notice_id, _ in owed]
        # What each member has read or was already queued for: two queries.
        done = set(
            NoticeRead.objects.filter(user__in=members, notice__in=owed_ids).values_list(
                "notice_id", "user_id"
            )
        )
        done |= set(
            NoticeMail.objects.filter(recipient__in=members, notice__in=owed_ids).values_list(
                "notice_id", "recipient_id"
            )
        )
        rows = [
            NoticeMail(notice_id=notice_id, recipient=user)
            for notice_id, publish_on in owed
            for user in members
            if publish_on >= timezone.localdate(user.date_joined)
            and (notice_id, user.pk) not in done
        ]
        NoticeMail.objects.bulk_create(rows, ignore_conflicts=True)
        queued += len(rows)
    return queued


def _groups(token: str) -> DeliveryGroups:
    rows = (
        NoticeMail.objects.filter(claim_token=token, sent_at__isnull=True)
        .order_by("recipient_id", "notice_id")
        .values_list("pk", "recipient_id", "notice_id")
    )
    grouped = [(rid, list(group)) for rid, group in groupby(rows, key=lambda row: row[1])]
    recipients = User.objects.in_bulk([rid for rid, _ in grouped])
    for recipient_id, group in grouped:
        yield (
            [pk for pk, _, _ in group],
            partial(_send, recipients[recipient_id], [nid for _, _, nid in group]),
        )


def _send(recipient: User, notice_ids: list[int]) -> bool:
    # Checked again right before sending: withdrawn, read or no longer addressed to the
    # person (moved organization, deactivated) since it was queued.
    notices = list(
        _unread_addressed(recipient).filter(pk__in=notice_ids).order_by("-publish_on", "-id")
    )
    if not notices:
        return False
    mail_send(notice_mail(recipient=recipient, notices=notices))
    return True


def _due(frequencies: Sequence[str], now: datetime.datetime) -> Q:
    due = Q(recipient__notice_frequency__in=frequencies)
    if NoticeFrequency.DAILY in frequencies:
        # A weekly e-mail missed on its day (the beat was down) goes out a week late at most.
        due |= Q(
            recipient__notice_frequency=NoticeFrequency.WEEKLY,
            created_at__lte=now - datetime.timedelta(days=7),
        )
    return due


def notice_mail_round(
    *, frequencies: Sequence[str], token: str | None = None, now: datetime.datetime | None = None
) -> JobRun:
    """Queue and send the notice e-mails owed to people of `frequencies`.

    Safe to run twice or after a worker died: the (notice, recipient) row is written
    once and marked sent right after its e-mail."""
    token = token or new_token()
    now = now or timezone.now()
    run = start_run(JobKind.NOTICE_MAILS, token)
    run.queued = notice_mails_queue(frequencies=frequencies)
    claim(NoticeMail.objects.filter(_due(frequencies, now)), token)
    deliver(_groups(token), NoticeMail, run)
    return finish_run(run)


def notice_mail_now(*, token: str | None = None) -> JobRun:
    """For those who want notices immediately (run every few minutes)."""
    return notice_mail_round(frequencies=[NoticeFrequency.IMMEDIATE], token=token)


def notice_digest_round(*, token: str | None = None, today: datetime.date | None = None) -> JobRun:
    """Once a day: the daily e-mails, and on NOTICE_WEEKLY_ON the weekly ones."""
    today = today or timezone.localdate()
    frequencies: list[str] = [NoticeFrequency.DAILY]
    if today.weekday() == settings.NOTICE_WEEKLY_ON:
        frequencies.append(NoticeFrequency.WEEKLY)
    return notice_mail_round(frequencies=frequencies, token=token)
