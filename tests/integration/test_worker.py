"""DOMAIN.md flow 3 with a real worker on Redis: reminders exactly once, through repeats and crashes."""

import datetime
import re

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from dialogue.enums import JobKind, Marking
from dialogue.models import JobRun, Notification, Reminder
from dialogue.tasks import dispatch_notifications, sweep_reminders
from tests import factories as f
from tests.integration.conftest import requires_services, wait_for

pytestmark = [requires_services, pytest.mark.django_db(transaction=True)]


def recipients(emails: list[str]) -> list[str]:
    # A file can hold several messages (the file backend appends), so read every "To:" line.
    return sorted(to for e in emails for to in re.findall(r"^To: (.+)$", e, re.M))


def finished_runs(kind: JobKind) -> int:
    return JobRun.objects.filter(kind=kind, finished_at__isnull=False).count()


def owners_with_due_actions(n: int):
    owners = [f.OfficialFactory(email=f"owner{i}@meti.example.jp") for i in range(n)]
    for owner in owners:
        f.FollowUpActionFactory(
            owner=owner, due_on=timezone.localdate() - datetime.timedelta(days=1)
        )
        f.FollowUpActionFactory(
            owner=owner, due_on=timezone.localdate() + datetime.timedelta(days=1)
        )
    return owners


def test_the_sweep_run_twice_sends_one_email_per_owner(worker_factory):
    owners_with_due_actions(3)
    worker = worker_factory()
    sweep_reminders.delay()
    sweep_reminders.delay()
    wait_for(lambda: finished_runs(JobKind.REMINDERS) == 2, message="two sweeps")
    assert recipients(worker.emails()) == [f"owner{i}@meti.example.jp" for i in range(3)]


def test_a_worker_killed_mid_sweep_is_redelivered_and_sends_each_reminder_once(worker_factory):
    owners_with_due_actions(6)
    first = worker_factory(
        TEST_EMAIL_BACKEND="tests.support.mail.SlowFileBackend", SLOW_MAIL_SECONDS="0.6"
    )
    sweep_reminders.delay()
    wait_for(lambda: len(recipients(first.emails())) >= 2, message="the first e-mails")
    first.kill()  # SIGKILL: no chance to ack or clean up
    sent_before = len(recipients(first.emails()))
    assert sent_before < 6, "the sweep finished before the kill; the test proves nothing"

    second = worker_factory()  # same mail folder; acks_late → the task comes back
    wait_for(
        lambda: not Reminder.objects.filter(sent_at__isnull=True).exists(),
        timeout=90,
        message="every reminder sent after redelivery",
    )
    assert recipients(second.emails()) == [f"owner{i}@meti.example.jp" for i in range(6)]


def test_a_task_queued_in_a_rolled_back_transaction_never_runs(worker_factory):
    owners_with_due_actions(1)
    worker_factory()
    try:
        with transaction.atomic():
            sweep_reminders.delay_on_commit()
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    dispatch_notifications.delay()  # a sentinel queued after it
    wait_for(lambda: finished_runs(JobKind.NOTIFICATIONS) == 1, message="the sentinel")
    assert not JobRun.objects.filter(kind=JobKind.REMINDERS).exists()
    assert not Reminder.objects.exists()


def test_a_concern_submitted_while_the_broker_is_down_is_notified_once_it_is_back(
    worker_factory, semiconductors, settings, monkeypatch
):
    from config.celery import app
    from dialogue.services.concerns import concern_submit

    official = f.OfficialFactory(sectors=[semiconductors], email="semi@meti.example.jp")
    company = f.CompanyUserFactory(organization=f.OrganizationFactory(sectors=[semiconductors]))
    worker = worker_factory()

    def reconnect(url: str) -> None:
        # Drop the pooled connections so the next publish connects to `url`.
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_url = url
        # Celery prefers the environment variable to the configured URL.
        monkeypatch.setenv("CELERY_BROKER_URL", url)

    # The broker is unreachable: the submission must still succeed.
    real_broker = app.conf.broker_url
    reconnect("redis://127.0.0.1:1/0")
    try:
        with pytest.raises(OperationalError):  # the outage is real
            app.connection_for_write().ensure_connection(max_retries=1)
        with transaction.atomic():
            concern = concern_submit(
                user=company,
                sector=semiconductors,
                category="2-2",
                title="ブローカー停止中の相談",
                description="説明",
                marking=Marking.AMBER_STRICT,
            )
    finally:
        reconnect(real_broker)
    assert concern.pk
    assert Notification.objects.filter(sent_at__isnull=True).count() == 1
    assert worker.emails() == []

    # The broker is back: the periodic dispatch sends it, once, even if it runs twice.
    dispatch_notifications.delay()
    dispatch_notifications.delay()
    wait_for(lambda: finished_runs(JobKind.NOTIFICATIONS) >= 2, message="two dispatches")
    assert recipients(worker.emails()) == [official.email]
