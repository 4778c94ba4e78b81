"""Notifications about concerns, written to an outbox in the same transaction as the change.

The outbox row is the promise; the Celery task is only a nudge. If the broker is
down when a concern is submitted, the submission still succeeds and the periodic
dispatch sends the e-mail once the broker is back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models import Q, QuerySet

from dialogue.disclosure import audience_for, may_be_told
from dialogue.enums import JobKind, NotificationEvent, Role
from dialogue.mail import mail_send
from dialogue.mail.notifications import concern_notification_mail
from dialogue.models import Concern, ConcernMessage, JobRun, Notification, Referral, User
from dialogue.queueing import NOTIFICATIONS_DISPATCH, queue
from dialogue.services.deliveries import (
    DeliveryGroups,
    claim,
    deliver,
    finish_run,
    new_token,
    start_run,
)

log = logging.getLogger(__name__)


def sector_officials(concern: Concern) -> QuerySet[User]:
    """Officials assigned to the concern's sector or to its domain."""
    return (
        User.objects.filter(is_active=True, role=Role.OFFICIAL)
        .filter(Q(sectors=concern.sector_id) | Q(sectors=concern.sector.parent_id))
        .distinct()
    )


def organization_users(concern: Concern) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, role=Role.COMPANY, organization=concern.organization_id
    )


def _queue(
    event: NotificationEvent, event_key: str, concern: Concern, candidates: Iterable[User]
) -> int:
    """Outbox rows for the candidates who may see the concern now (a RED concern: only
    its named people); the dispatch checks again before sending."""
    rows = [
        Notification(event=event, event_key=event_key, concern=concern, recipient=user)
        for user in audience_for(concern, candidates)
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(nudge_dispatch)
    return len(rows)


def nudge_dispatch() -> None:
    """Ask a worker to send now; if the broker is unreachable the periodic dispatch will."""
    try:
        queue(NOTIFICATIONS_DISPATCH)
    except Exception as error:  # kombu raises many connection error types
        log.warning("broker unavailable, notifications wait for the next dispatch: %s", error)


def notify_concern_submitted(concern: Concern) -> int:
    return _queue(
        NotificationEvent.CONCERN_SUBMITTED,
        f"concern:{concern.pk}:submitted",
        concern,
        sector_officials(concern),
    )


def notify_concern_reply(message: ConcernMessage) -> int:
    if message.is_internal:
        return 0
    concern = message.concern
    recipients = organization_users(concern).exclude(pk=message.author_id)
    return _queue(NotificationEvent.CONCERN_REPLY, f"message:{message.pk}", concern, recipients)


def notify_concern_status(concern: Concern) -> int:
    return _queue(
        NotificationEvent.CONCERN_STATUS,
        f"status:{concern.pk}:{concern.version}",
        concern,
        organization_users(concern),
    )


def notify_referral_proposed(concern: Concern, referrals: list[Referral]) -> int:
    """The concern's organization is asked for its consent (one e-mail per proposal)."""
    if not referrals:
        return 0
    return _queue(
        NotificationEvent.REFERRAL_PROPOSED,
        f"referral:{concern.pk}:{referrals[0].number}",
        concern,
        organization_users(concern),
    )


def _notification_groups(token: str) -> DeliveryGroups:
    rows = (
        Notification.objects.filter(claim_token=token, sent_at__isnull=True)
        .select_related("concern", "concern__sector", "concern__category", "recipient")
        .order_by("id")
    )
    for row in rows:
        yield [row.pk], partial(_send_notification, row)


def _send_notification(row: Notification) -> bool:
    recipient = row.recipient
    # Visibility may have changed since the row was queued (marked RED, a person left the
    # organization): only someone who may see the concern now is told.
    if not may_be_told(recipient, Concern, [row.concern_id]):
        return False
    mail_send(concern_notification_mail(event=row.event, concern=row.concern, recipient=recipient))
    return True


def notifications_dispatch(*, token: str | None = None) -> JobRun:
    """Send every notification still owed, each exactly once."""
    token = token or new_token()
    run = start_run(JobKind.NOTIFICATIONS, token)
    run.queued = claim(Notification.objects.all(), token)
    deliver(_notification_groups(token), Notification, run)
    return finish_run(run)
