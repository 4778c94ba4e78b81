"""Drill: the Celery worker is killed (SIGKILL) in the middle of a digest round.

The reminder sweep has the same drill in tests/integration/test_worker.py
(test_a_worker_killed_mid_sweep_is_redelivered_and_sends_each_reminder_once). The
digest round is the other kind of job: it creates its ledger rows itself (one
digest per recipient and period) before sending, so a redelivered round must
neither create a second digest nor send one twice, and must send the rest.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dialogue.enums import JobKind
from dialogue.models import Digest, JobRun
from dialogue.tasks import send_digests
from tests import factories as f
from tests.faults.conftest import needs_postgres_and_redis, sent_messages, wait_for

pytestmark = [
    pytest.mark.services,
    needs_postgres_and_redis,
    pytest.mark.django_db(transaction=True),
]

RECIPIENTS = 6


def test_a_worker_killed_mid_digest_round_is_redelivered_and_sends_each_digest_once(
    worker_factory,
):
    # given: officials who joined a week ago are owed exactly one weekly digest each
    joined = timezone.now() - datetime.timedelta(days=7)
    officials = [
        f.OfficialFactory(email=f"digest{n}@meti.example.jp", date_joined=joined, language="en")
        for n in range(RECIPIENTS)
    ]
    first = worker_factory(
        TEST_EMAIL_BACKEND="tests.support.mail.SlowFileBackend", SLOW_MAIL_SECONDS="0.6"
    )
    mail_dir = first.mail_dir

    def sent() -> int:
        return Digest.objects.filter(sent_at__isnull=False).count()

    # when: the round is under way (two digests sent and recorded), the worker is killed
    send_digests.delay()
    wait_for(
        lambda: sent() >= 2 and sent() == len(sent_messages(mail_dir)),
        message="the first digests sent and recorded",
    )
    first.kill()  # SIGKILL, in the pause before the next e-mail: no ack, no clean-up
    assert sent() < RECIPIENTS, "the round finished before the kill; the drill proves nothing"

    # ... and another worker takes over (acks_late: the round is delivered again)
    worker_factory()
    wait_for(
        lambda: JobRun.objects.filter(kind=JobKind.DIGESTS, finished_at__isnull=False).exists(),
        timeout=90,
        message="the redelivered round to finish",
    )

    # then: one digest per official, each e-mailed exactly once
    assert Digest.objects.count() == RECIPIENTS
    assert sent() == RECIPIENTS
    recipients = [to for to, subject in sent_messages(mail_dir)]
    assert sorted(recipients) == sorted(o.email for o in officials)
