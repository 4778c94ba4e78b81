"""Chokepoint review reminders: a chokepoint's review date is near, so its sector lead (or,
without a lead, the sector's officials) is told once per chokepoint × review date.

The ledger (ChokepointReviewReminder) has one row per (chokepoint, review date,
recipient), written before the e-mail and marked sent after, so a second sweep, a second
beat or a redelivered task sends nothing twice; a new review date earns a new reminder.
RED chokepoints are for their named people only and never go by e-mail.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from functools import partial
from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dialogue.disclosure import may_be_told
from dialogue.enums import JobKind, Marking, Role
from dialogue.mail import mail_send
from dialogue.mail.chokepoint_reviews import ReviewLine, chokepoint_review_mail
from dialogue.models import ChokepointReviewReminder, ChokepointTechnology, JobRun, Sector, User
from dialogue.services.deliveries import (
    DeliveryGroups,
    claim,
    deliver,
    finish_run,
    new_token,
    start_run,
)


def _recipients_by_sector(sector_ids: set[int]) -> dict[int, list[User]]:
    """Each sector's lead; for a sector without one, its officials (and its domain's)."""
    sectors = Sector.objects.filter(pk__in=sector_ids).select_related("lead", "parent__lead")
    recipients: dict[int, list[User]] = {}
    leaderless: list[Sector] = []
    for sector in sectors:
        lead = sector.lead or (sector.parent.lead if sector.parent else None)
        if lead is not None and lead.is_active:
            recipients[sector.pk] = [lead]
        else:
            leaderless.append(sector)
    if leaderless:
        ids = [s.pk for s in leaderless]
        officials = (
            User.objects.filter(is_active=True, role=Role.OFFICIAL)
            .filter(Q(sectors__in=ids) | Q(sectors__children__in=ids))
            .prefetch_related("sectors__children")
            .distinct()
        )
        for official in officials:
            assigned = {s.pk for s in official.sectors.all()} | {
                child.pk for s in official.sectors.all() for child in s.children.all()
            }
            for sector_id in assigned & set(ids):
                recipients.setdefault(sector_id, []).append(official)
    return recipients


def chokepoint_reviews_queue(today: datetime.date, token: str = "") -> int:
    """Write the ledger rows owed today (claimed by `token`); returns how many were new."""
    horizon = today + datetime.timedelta(days=settings.CHOKEPOINT_REVIEW_NOTICE_DAYS)
    due: list[tuple[int, int, datetime.date]] = list(
        ChokepointTechnology.objects.filter(review_on__isnull=False, review_on__lte=horizon)
        .exclude(marking=Marking.RED)
        .values_list("pk", "sector_id", "review_on")  # type: ignore[arg-type]
    )
    if not due:
        return 0
    recipients = _recipients_by_sector({sector_id for _, sector_id, _ in due})
    wanted: dict[User, list[tuple[int, datetime.date]]] = defaultdict(list)
    for pk, sector_id, review_on in due:
        for person in recipients.get(sector_id, []):
            wanted[person].append((pk, review_on))
    now = timezone.now()
    rows: list[ChokepointReviewReminder] = []
    for person, items in wanted.items():
        # Only what the recipient may see (one query per recipient, a handful of leads).
        seen = ChokepointTechnology.objects.visible_to(person).filter(
            pk__in=[pk for pk, _ in items]
        )
        seen_ids = set(seen.values_list("pk", flat=True))
        rows += [
            ChokepointReviewReminder(
                chokepoint_id=pk,
                review_on=review_on,
                recipient=person,
                claim_token=token,
                claimed_at=now if token else None,
            )
            for pk, review_on in items
            if pk in seen_ids
        ]
    with transaction.atomic():
        before = ChokepointReviewReminder.objects.count()
        ChokepointReviewReminder.objects.bulk_create(rows, ignore_conflicts=True)
        return ChokepointReviewReminder.objects.count() - before


def _groups(token: str) -> DeliveryGroups:
    rows = (
        ChokepointReviewReminder.objects.filter(claim_token=token, sent_at__isnull=True)
        .order_by("recipient_id", "review_on", "chokepoint_id")
        .values(
            "id",
            "recipient_id",
            "review_on",
            "chokepoint_id",
            "chokepoint__name",
            "chokepoint__marking",
            "chokepoint__process_stage",
            "chokepoint__review_on",
            "chokepoint__sector__name_ja",
            "chokepoint__sector__name_en",
        )
    )
    groups = [(rid, list(group)) for rid, group in groupby(rows, key=lambda r: r["recipient_id"])]
    recipients = User.objects.in_bulk([rid for rid, _ in groups])
    for recipient_id, group in groups:
        # A review date changed since queueing: the new date earns its own reminder.
        current = [
            ReviewLine(
                chokepoint_id=r["chokepoint_id"],
                name=r["chokepoint__name"],
                marking=r["chokepoint__marking"],
                process_stage=r["chokepoint__process_stage"],
                review_on=r["review_on"],
                sector_name_ja=r["chokepoint__sector__name_ja"],
                sector_name_en=r["chokepoint__sector__name_en"],
            )
            for r in group
            if r["chokepoint__review_on"] == r["review_on"]
        ]
        yield [r["id"] for r in group], partial(_send, recipients[recipient_id], current)


def _send(recipient: User, lines: list[ReviewLine]) -> bool:
    # Visibility may have changed since queueing: checked again right before the e-mail.
    told = may_be_told(recipient, ChokepointTechnology, [line.chokepoint_id for line in lines])
    live = [line for line in lines if line.chokepoint_id in told and line.marking != Marking.RED]
    if not live:
        return False
    mail_send(chokepoint_review_mail(recipient=recipient, reviews=live))
    return True


def chokepoint_review_sweep(
    *, token: str | None = None, today: datetime.date | None = None
) -> JobRun:
    """Queue the review reminders owed today, then send one e-mail per recipient.

    Safe to run twice, from two beats, or again after a worker died mid-run."""
    token = token or new_token()
    run = start_run(JobKind.CHOKEPOINT_REVIEWS, token)
    run.queued = chokepoint_reviews_queue(today or timezone.localdate(), token)
    claim(ChokepointReviewReminder.objects.exclude(claim_token=token), token)
    deliver(_groups(token), ChokepointReviewReminder, run)
    return finish_run(run)
