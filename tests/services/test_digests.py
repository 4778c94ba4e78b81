"""Plan-revision digests: one per recipient per period, only what they may see, k-anonymous."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dialogue.enums import DigestFrequency, Marking
from dialogue.models import Digest
from dialogue.selectors.digests import digest_content
from dialogue.services.digests import digest_round, periods_owed
from tests import factories as f

WED = datetime.date(2026, 11, 25)  # a Wednesday


def test_weekly_periods_owed_are_complete_weeks_after_the_last_one():
    # Joined on Tuesday 10 November: that week and the next are complete by Wednesday the 25th.
    assert periods_owed("weekly", today=WED, last_end=None, joined=datetime.date(2026, 11, 10)) == [
        (datetime.date(2026, 11, 9), datetime.date(2026, 11, 15)),
        (datetime.date(2026, 11, 16), datetime.date(2026, 11, 22)),
    ]
    assert (
        periods_owed(
            "weekly",
            today=WED,
            last_end=datetime.date(2026, 11, 22),
            joined=datetime.date(2026, 1, 1),
        )
        == []
    )
    # Two weeks missed while the broker was down: both are owed, oldest first.
    assert periods_owed(
        "weekly", today=WED, last_end=datetime.date(2026, 11, 8), joined=datetime.date(2026, 1, 1)
    ) == [
        (datetime.date(2026, 11, 9), datetime.date(2026, 11, 15)),
        (datetime.date(2026, 11, 16), datetime.date(2026, 11, 22)),
    ]


def test_monthly_period_is_the_previous_calendar_month():
    assert periods_owed(
        "monthly", today=WED, last_end=datetime.date(2026, 9, 30), joined=datetime.date(2026, 1, 1)
    ) == [(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))]


@pytest.fixture
def officials(semiconductors, batteries):
    joined = timezone.now() - datetime.timedelta(days=60)
    return {
        "semi": f.OfficialFactory(sectors=[semiconductors], date_joined=joined, email="s@x.jp"),
        "batt": f.OfficialFactory(sectors=[batteries], date_joined=joined, email="b@x.jp"),
        "secretariat": f.SecretariatFactory(date_joined=joined, email="sec@x.jp"),
        "none": f.OfficialFactory(
            sectors=[semiconductors], date_joined=joined, digest_frequency=DigestFrequency.NONE
        ),
    }


@pytest.mark.django_db
def test_one_digest_per_recipient_per_period_even_when_run_twice(officials):
    digest_round(today=WED)
    digest_round(today=WED)
    assert Digest.objects.filter(period_start=datetime.date(2026, 11, 16)).count() == 3
    assert Digest.objects.filter(recipient=officials["none"]).count() == 0
    latest_mail = [m for m in mail.outbox if "2026-11-16" in m.subject]
    assert len(latest_mail) == 3


@pytest.mark.django_db
def test_each_digest_holds_only_what_its_recipient_may_see(officials, semiconductors, batteries):
    f.ThreatFactory(sector=semiconductors, marking=Marking.AMBER)
    f.ThreatFactory(sector=batteries, marking=Marking.AMBER)
    f.ThreatFactory(sector=batteries, marking=Marking.AMBER)
    content = digest_content(officials["semi"], since=None, today=WED)
    assert [(r["sector"], r["count"]) for r in content["new_threats"]] == [("semiconductors", 1)]
    assert content["marking"] == "AMBER"
    everything = digest_content(officials["secretariat"], since=None, today=WED)
    assert sum(r["count"] for r in everything["new_threats"]) == 3


@pytest.mark.django_db
def test_concern_counts_need_three_organizations(officials, semiconductors):
    for _ in range(2):
        f.ConcernFactory(sector=semiconductors, category=f.ThreatCategoryFactory(code="2-2"))
    for _ in range(3):
        f.ConcernFactory(sector=semiconductors, category=f.ThreatCategoryFactory(code="2-1"))
    rows = {
        r["category"]: r["count"]
        for r in digest_content(officials["secretariat"], since=None, today=WED)["new_concerns"]
    }
    assert rows == {"2-1": 3, "2-2": None}


@pytest.mark.django_db
def test_digest_content_query_count_does_not_grow(officials, semiconductors):
    def count(n):
        f.ThreatFactory.create_batch(n, sector=semiconductors)
        f.ConcernFactory.create_batch(n, sector=semiconductors)
        with CaptureQueriesContext(connection) as context:
            digest_content(officials["secretariat"], since=None, today=WED)
        return len(context.captured_queries)

    assert count(1) == count(30)


@pytest.mark.django_db
def test_digest_email_carries_counts_and_a_link_not_titles(officials, semiconductors):
    f.ThreatFactory(sector=semiconductors, marking=Marking.AMBER, title="秘匿の脅威")
    digest_round(today=WED)
    message = next(m for m in mail.outbox if m.to == ["s@x.jp"] and "2026-11-16" in m.subject)
    assert "秘匿の脅威" not in message.body
    assert "/digests/" in message.body


@pytest.mark.django_db
def test_a_digest_across_a_period_boundary_is_sent_exactly_once(officials):
    sunday, monday = datetime.date(2026, 11, 29), datetime.date(2026, 11, 30)
    for today in (sunday, sunday, monday, monday, monday + datetime.timedelta(days=1)):
        digest_round(today=today)  # the clock crosses Sunday → Monday, with repeats
    week = Digest.objects.filter(period_start=datetime.date(2026, 11, 23))
    assert week.count() == 3  # semi, batt, secretariat: one each
    assert week.filter(sent_at__isnull=True).count() == 0
    subjects = [m.subject for m in mail.outbox if "2026-11-23" in m.subject]
    assert len(subjects) == 3


@pytest.mark.django_db
def test_a_missed_period_is_caught_up_not_skipped(officials):
    digest_round(today=datetime.date(2026, 11, 11))  # covers the week of 2 November
    # The broker was down for two weeks; the next round sends both missed weeks once.
    digest_round(today=datetime.date(2026, 11, 25))
    starts = sorted(
        Digest.objects.filter(recipient=officials["semi"]).values_list("period_start", flat=True)
    )
    assert starts[-3:] == [
        datetime.date(2026, 11, 2),
        datetime.date(2026, 11, 9),
        datetime.date(2026, 11, 16),
    ]


@pytest.mark.django_db
def test_a_red_concern_never_enters_a_digest_count(officials, semiconductors):
    # given three organizations behind semiconductors × 2-2, and a fourth one's RED concern
    # on which the recipient is named
    code = f.ThreatCategoryFactory(code="2-2")
    for _ in range(3):
        f.ConcernFactory(sector=semiconductors, category=code)
    f.ConcernFactory(
        sector=semiconductors,
        category=code,
        marking=Marking.RED,
        named_users=[officials["secretariat"]],
    )
    # when
    content = digest_content(officials["secretariat"], since=None, today=WED)
    # then the count is the one everyone reading the plan may know
    assert content["new_concerns"] == [{"sector": "semiconductors", "category": "2-2", "count": 3}]
    assert content["marking"] != Marking.RED
