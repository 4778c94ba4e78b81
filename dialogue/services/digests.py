"""The plan-revision digest round: one digest per recipient per period, stored and e-mailed."""

from __future__ import annotations

import datetime
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from dialogue.disclosure import may_be_told
from dialogue.enums import DigestFrequency, JobKind, Role
from dialogue.mail import mail_send
from dialogue.mail.digests import digest_mail
from dialogue.models import Digest, JobRun, User
from dialogue.selectors.digests import digest_content, last_published_revision
from dialogue.services.deliveries import (
    DeliveryGroups,
    claim,
    deliver,
    finish_run,
    new_token,
    start_run,
)


def period_containing(day: datetime.date, frequency: str) -> tuple[datetime.date, datetime.date]:
    if frequency == DigestFrequency.WEEKLY:
        start = day - datetime.timedelta(days=day.weekday())  # Monday
        return start, start + datetime.timedelta(days=6)
    start = day.replace(day=1)
    next_month = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, next_month - datetime.timedelta(days=1)


def periods_owed(
    frequency: str, *, today: datetime.date, last_end: datetime.date | None, joined: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """Complete periods not yet covered (after the last digest, or since joining), oldest first.

    A period missed while the broker was down is therefore sent when it comes back;
    at most DIGEST_MAX_CATCH_UP periods are caught up.
    """
    one_day = datetime.timedelta(days=1)
    first_start = last_end + one_day if last_end else period_containing(joined, frequency)[0]
    periods: list[tuple[datetime.date, datetime.date]] = []
    day = period_containing(today, frequency)[0] - one_day  # the end of the last complete period
    while len(periods) < settings.DIGEST_MAX_CATCH_UP:
        start, end = period_containing(day, frequency)
        if start < first_start:
            break
        periods.append((start, end))
        day = start - one_day
    return periods[::-1]


def digests_create(*, today: datetime.date) -> int:
    """Create the digests owed to every subscribed official; an existing one is never redone."""
    revision = last_published_revision()
    since = revision.published_at if revision else None
    recipients = (
        User.objects.filter(
            is_active=True,
            role__in=[Role.OFFICIAL, Role.SECRETARIAT, Role.ADMIN],
            digest_frequency__in=[DigestFrequency.WEEKLY, DigestFrequency.MONTHLY],
        )
        .exclude(email="")
        .prefetch_related("digest_sectors")
    )
    last_ends = {
        (row["recipient_id"], row["frequency"]): row["period_end"]
        for row in Digest.objects.order_by("recipient_id", "frequency", "period_end").values(
            "recipient_id", "frequency", "period_end"
        )
    }
    created = 0
    for user in recipients:
        joined = timezone.localdate(user.date_joined)
        owed = periods_owed(
            user.digest_frequency,
            today=today,
            last_end=last_ends.get((user.pk, user.digest_frequency)),
            joined=joined,
        )
        sector_ids = [s.pk for s in user.digest_sectors.all()] or None
        for start, end in owed:
            content = digest_content(user, since=since, today=end, sector_ids=sector_ids)
            try:
                with transaction.atomic():
                    Digest.objects.create(
                        recipient=user,
                        frequency=user.digest_frequency,
                        period_start=start,
                        period_end=end,
                        since_revision=revision,
                        marking=content["marking"],
                        content=content,
                    )
                created += 1
            except IntegrityError:
                continue  # another round created it first
    return created


def _digest_groups(token: str) -> DeliveryGroups:
    for digest in Digest.objects.filter(claim_token=token, sent_at__isnull=True).select_related(
        "recipient", "since_revision"
    ):
        yield [digest.pk], partial(_send_digest, digest)


def _send_digest(digest: Digest) -> bool:
    # Its counts were made for an official: not sent to someone who has since left that
    # role or the system.
    if not may_be_told(digest.recipient, Digest, [digest.pk]):
        return False
    mail_send(digest_mail(digest=digest))
    return True


def digest_round(*, token: str | None = None, today: datetime.date | None = None) -> JobRun:
    token = token or new_token()
    run = start_run(JobKind.DIGESTS, token)
    run.queued = digests_create(today=today or timezone.localdate())
    claim(Digest.objects.all(), token)
    deliver(_digest_groups(token), Digest, run)
    return finish_run(run)
