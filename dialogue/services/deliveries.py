"""Claim, send, mark: the once-only loop shared by reminders, notifications and digests."""

from __future__ import annotations

import datetime
import logging
import smtplib
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from dialogue.enums import JobKind
from dialogue.models import (
    ChokepointReviewReminder,
    Digest,
    JobRun,
    NoticeMail,
    Notification,
    ReferralReminder,
    Reminder,
)

log = logging.getLogger(__name__)

# Failures worth retrying later; anything else is a bug and propagates.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


# (ledger row ids, send): what `deliver` takes, one e-mail per item.
DeliveryGroups = Iterator[tuple[list[int], Callable[[], bool]]]


def new_token() -> str:
    return uuid.uuid4().hex


def claim(queryset: models.QuerySet[Any], token: str) -> int:
    """Mark unsent rows as ours in one UPDATE; rows another worker claimed recently are left alone.

    A row claimed by the same token (a redelivered task) or whose claim is older than
    the lease (its worker died) is claimed again.
    """
    now = timezone.now()
    lease = datetime.timedelta(seconds=settings.DELIVERY_CLAIM_LEASE_SECONDS)
    return (
        queryset.filter(sent_at__isnull=True)
        .filter(Q(claim_token="") | Q(claim_token=token) | Q(claimed_at__lt=now - lease))
        .update(claim_token=token, claimed_at=now)
    )


def deliver(
    groups: Iterable[tuple[list[int], Callable[[], bool]]],
    model: type[Reminder]
    | type[ReferralReminder]
    | type[Notification]
    | type[Digest]
    | type[NoticeMail]
    | type[ChokepointReviewReminder],
    run: JobRun,
) -> None:
    """Send each group's e-mail, then mark its rows sent. A transient failure leaves the
    rows unsent (and claimed, until the lease ends) for the next run. `send` returns
    False when nothing needed sending (e.g. the action was closed meanwhile)."""
    for ids, send in groups:
        try:
            sent = send()
        except TRANSIENT_MAIL_ERRORS as error:
            log.warning("delivery failed for %s %s: %s", model.__name__, ids, error)
            model.objects.filter(pk__in=ids).update(
                attempts=F("attempts") + 1, last_error=type(error).__name__[:200]
            )
            run.failed += 1
            continue
        model.objects.filter(pk__in=ids).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
        run.sent += 1 if sent else 0


def start_run(kind: JobKind, token: str) -> JobRun:
    return JobRun.objects.create(kind=kind, token=token)


def finish_run(run: JobRun) -> JobRun:
    run.finished_at = timezone.now()
    run.save(update_fields=["queued", "sent", "failed", "error", "finished_at"])
    return run
