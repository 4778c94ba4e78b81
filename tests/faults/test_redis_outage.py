"""Drill: Redis, the broker and the cache, stops and comes back.

A private redis-server (never the shared one) is this process's Celery broker and
Django cache (API and submission rate limits), as CACHE_URL and CELERY_BROKER_URL
are in production, and the broker of a real worker. The database is the shared
PostgreSQL test database. While Redis is down:

- pages and concern submissions (portal form and API) keep working: the concern
  is saved with its outbox notifications, nobody gets a server error;
- /healthz tells the operator that the broker is down.

Once Redis is back, without restarting anything: the periodic jobs (dispatch and
reminder sweep, as beat would send them, each twice) send every notification
owed and every reminder, each exactly once; and a new submission is e-mailed on
its own again.
"""

from __future__ import annotations

import datetime
import re
import time
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from dialogue.enums import JobKind, Marking
from dialogue.models import Concern, JobRun, Notification
from dialogue.tasks import dispatch_notifications, sweep_reminders
from tests import factories as f
from tests.faults.conftest import (
    Worker,
    http,
    needs_postgres_and_redis,
    sent_messages,
    wait_until,
)

pytestmark = [
    pytest.mark.services,
    needs_postgres_and_redis,
    pytest.mark.django_db(transaction=True),
]

QUICK = 10  # seconds: a page or a submission that takes longer counts as hanging
NEW_CONCERN = re.compile(r"New concern #(\d+)")


def use_broker(url: str) -> None:
    """Point this process's Celery app at `url`, dropping pooled connections.

    (Celery reads CELERY_BROKER_URL from the environment before its configuration,
    so the caller sets that too.)
    """
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = url


@pytest.fixture
def private_broker(private_redis, settings, monkeypatch):
    """The private Redis as this process's broker and cache; the real ones restored after."""
    real_broker = app.conf.broker_url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url(1),
        }
    }
    settings.CELERY_BROKER_URL = private_redis.url(0)
    with monkeypatch.context() as env:
        env.setenv("CELERY_BROKER_URL", private_redis.url(0))
        use_broker(private_redis.url(0))
        app.conf.task_always_eager = False
        try:
            yield private_redis
        finally:
            app.conf.task_always_eager = True
    use_broker(real_broker)


@pytest.fixture
def worker(private_broker, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    worker = Worker(mail_dir, tmp_path / "worker.log", {"CELERY_BROKER_URL": private_broker.url(0)})
    try:
        yield worker.start()
    finally:
        worker.stop()


@pytest.fixture
def people(semiconductors):
    organization = f.OrganizationFactory(sectors=[semiconductors])
    company = f.CompanyUserFactory(username="redis_company", organization=organization)
    owners = [f.OfficialFactory(email=f"owner{n}@meti.example.jp", language="en") for n in range(2)]
    for owner in owners:  # each owes one reminder
        f.FollowUpActionFactory(
            owner=owner, due_on=timezone.localdate() - datetime.timedelta(days=1)
        )
    return {
        "company": company,
        "company_token": f.api_key(company),
        "officials": [
            f.OfficialFactory(
                username=f"redis_official_{n}",
                email=f"semi{n}@meti.example.jp",
                sectors=[semiconductors],
                language="en",
            )
            for n in range(2)
        ],
        "owners": owners,
    }


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def portal_submit(client: Client, semiconductors, code, title: str):
    return client.post(
        reverse("portal:concern-create"),
        {
            "sector": semiconductors.pk,
            "category": code("2-2").pk,
            "title": title,
            "description": "Redis 停止中の相談",
            "desired_support": "information",
            "marking": Marking.AMBER_STRICT,
            "submission_key": str(uuid.uuid4()),
        },
    )


def notified(mail_dir) -> list[tuple[str, int]]:
    """(official, concern id) of every new-concern e-mail sent."""
    return sorted(
        (to, int(match.group(1)))
        for to, subject in sent_messages(mail_dir)
        if (match := NEW_CONCERN.search(subject))
    )


def reminded(mail_dir) -> list[str]:
    return sorted(to for to, subject in sent_messages(mail_dir) if "follow-up action" in subject)


def finished(kind: JobKind) -> int:
    return JobRun.objects.filter(kind=kind, finished_at__isnull=False).count()


def test_while_redis_is_down_the_app_keeps_working_and_everything_owed_goes_out_once_it_is_back(
    private_broker, worker, people, semiconductors, code, live_server
):
    redis = private_broker
    officials = [o.email for o in people["officials"]]
    company = Client()
    company.force_login(people["company"])
    official = Client()
    official.force_login(people["officials"][0])

    # given: the pipeline works (a submission is e-mailed to the sector's officials)
    response = portal_submit(company, semiconductors, code, "Redis 稼働中")
    assert response.status_code == 302
    before = Concern.objects.get(title="Redis 稼働中")
    wait_until(
        lambda: len(notified(worker.mail_dir)) == len(officials),
        message="the e-mails about the first concern",
        details=lambda: worker.log_path.read_text()[-2000:],
    )

    # when: Redis stops
    redis.stop()

    # then: pages answer, quickly
    for client, name in [
        (company, "portal:home"),
        (company, "portal:concern-list"),
        (company, "portal:concern-create"),
        (official, "workspace:dashboard"),
        (official, "workspace:concern-list"),
    ]:
        response, seconds = timed(lambda client=client, name=name: client.get(reverse(name)))
        assert response.status_code == 200, (name, response.status_code)
        assert seconds < QUICK, (name, seconds)

    # ... a concern submitted in the portal is saved, with its outbox rows
    response, seconds = timed(lambda: portal_submit(company, semiconductors, code, "Redis 停止中"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert seconds < QUICK
    during_portal = Concern.objects.get(title="Redis 停止中")

    # ... and one submitted through the API (rate limits counted in the cache)
    reply = http(
        "POST",
        f"{live_server.url}/api/v1/concerns/",
        json_body={
            "sector": semiconductors.pk,
            "category": "2-2",
            "title": "Redis 停止中 (API)",
            "description": "API からの相談",
            "desired_support": "information",
        },
        headers={"Authorization": f"Token {people['company_token']}"},
        timeout=QUICK,
    )
    assert reply.status == 201, (reply.status, reply.error, reply.text[:500])
    # A company user's API names the concern by the organization's reference, never its id.
    during_api = Concern.objects.get(
        organization=people["company"].organization, reference=reply.json()["reference"]
    )
    for concern in (during_portal, during_api):
        assert sorted(
            Notification.objects.filter(concern=concern, sent_at__isnull=True).values_list(
                "recipient__email", flat=True
            )
        ) == sorted(officials)

    # ... /healthz tells the operator what is wrong
    health = http("GET", f"{live_server.url}/healthz", timeout=QUICK)
    assert health.status == 503
    assert health.json()["broker"]["ok"] is False
    assert health.json()["database"]["ok"] is True
    assert notified(worker.mail_dir) == sorted((o, before.pk) for o in officials)

    # when: Redis is back (empty: what was queued in it is gone), and beat's periodic
    # jobs arrive, each twice
    dispatches_before = finished(JobKind.NOTIFICATIONS)
    redis.start()
    for task in (dispatch_notifications, dispatch_notifications, sweep_reminders, sweep_reminders):
        task.delay()
    wait_until(
        lambda: (
            finished(JobKind.NOTIFICATIONS) >= dispatches_before + 2
            and finished(JobKind.REMINDERS) >= 2
        ),
        timeout=120,
        message="the worker to run the jobs after Redis came back",
        details=lambda: worker.log_path.read_text()[-3000:],
    )

    # then: every notification owed went out, each once, and each reminder once
    concerns = [before.pk, during_portal.pk, during_api.pk]
    assert notified(worker.mail_dir) == sorted((o, c) for o in officials for c in concerns)
    assert reminded(worker.mail_dir) == sorted(o.email for o in people["owners"])
    assert not Notification.objects.filter(sent_at__isnull=True).exists()

    # ... and a new submission is e-mailed on its own: the app reconnected by itself
    response = portal_submit(company, semiconductors, code, "Redis 復旧後")
    assert response.status_code == 302
    after = Concern.objects.get(title="Redis 復旧後")
    wait_until(
        lambda: len(notified(worker.mail_dir)) == len(officials) * 4,
        message="the e-mails about the concern submitted after Redis came back",
        details=lambda: worker.log_path.read_text()[-3000:],
    )
    assert notified(worker.mail_dir) == sorted(
        (o, c) for o in officials for c in [*concerns, after.pk]
    )
