"""Chokepoint review reminders: once per chokepoint × review date, to the sector lead (or,
without one, the sector's officials), never naming what the recipient may not see."""

import datetime

import pytest
from django.core import mail
from django.test import override_settings

from dialogue.enums import ChokepointProcessStage, JobKind, Language, Marking
from dialogue.models import ChokepointReviewReminder
from dialogue.services.chokepoint_reviews import chokepoint_review_sweep
from dialogue.services.chokepoints import chokepoint_update
from tests import factories as f

TODAY = datetime.date(2026, 11, 25)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def lead(semiconductors):
    lead = f.OfficialFactory(
        username="semi-lead", email="lead@meti.example.jp", sectors=[semiconductors]
    )
    semiconductors.lead = lead
    semiconductors.save(update_fields=["lead"])
    return lead


@pytest.mark.django_db
@override_settings(CHOKEPOINT_REVIEW_NOTICE_DAYS=14)
def test_the_lead_is_reminded_once_of_each_review_date_within_the_notice(lead, semiconductors):
    soon = f.ChokepointFactory(
        name="フォトレジスト",
        sector=semiconductors,
        marking=Marking.GREEN,
        process_stage=ChokepointProcessStage.MAINTENANCE,
        review_on=days(10),
    )
    f.ChokepointFactory(name="まだ先の技術", sector=semiconductors, review_on=days(30))
    f.ChokepointFactory(name="見直し日なし", sector=semiconductors)

    run = chokepoint_review_sweep(today=TODAY)

    assert (run.kind, run.queued, run.sent) == (JobKind.CHOKEPOINT_REVIEWS, 1, 1)
    [message] = mail.outbox
    assert message.to == ["lead@meti.example.jp"]
    assert "フォトレジスト" in message.body and "維持促進" in message.body
    assert "まだ先の技術" not in message.body and "見直し日なし" not in message.body
    assert f"/chokepoints/{soon.pk}/" in message.body
    # again the same day, or the next: nothing more
    assert chokepoint_review_sweep(today=TODAY).queued == 0
    assert chokepoint_review_sweep(today=days(1)).queued == 0
    assert len(mail.outbox) == 1
    # a new review date earns a new reminder
    chokepoint_update(chokepoint=soon, actor=lead, changes={"review_on": days(12)})
    assert chokepoint_review_sweep(today=days(1)).sent == 1
    assert ChokepointReviewReminder.objects.filter(chokepoint=soon).count() == 2


@pytest.mark.django_db
def test_an_amber_name_stays_out_of_the_mail_and_red_is_never_mailed(lead, semiconductors):
    amber = f.ChokepointFactory(name="AMBERの技術", sector=semiconductors, review_on=TODAY)
    f.ChokepointFactory(
        name="REDの技術",
        sector=semiconductors,
        marking=Marking.RED,
        named_users=[lead],
        review_on=TODAY,
    )

    chokepoint_review_sweep(today=TODAY)

    [message] = mail.outbox
    assert "AMBERの技術" not in message.body and f"#{amber.pk}" in message.body
    assert "REDの技術" not in message.body
    assert not ChokepointReviewReminder.objects.filter(chokepoint__marking=Marking.RED).exists()


@pytest.mark.django_db
def test_without_a_lead_the_sectors_officials_are_reminded_in_their_language(
    semiconductors, batteries
):
    official = f.OfficialFactory(
        username="semi-en", email="en@meti.example.jp", sectors=[semiconductors]
    )
    official.language = Language.EN
    official.save(update_fields=["language"])
    f.OfficialFactory(username="batt", email="batt@meti.example.jp", sectors=[batteries])
    f.ChokepointFactory(
        name="Photoresist", sector=semiconductors, marking=Marking.CLEAR, review_on=TODAY
    )

    chokepoint_review_sweep(today=TODAY)

    [message] = mail.outbox
    assert message.to == ["en@meti.example.jp"]
    assert "due for review" in message.subject and "Photoresist" in message.body


@pytest.mark.django_db
def test_a_failed_mail_is_sent_by_the_next_sweep(lead, semiconductors):
    f.ChokepointFactory(
        name="再送の技術", sector=semiconductors, marking=Marking.GREEN, review_on=TODAY
    )
    with override_settings(EMAIL_BACKEND="tests.support.mail.FailingBackend"):
        assert chokepoint_review_sweep(today=TODAY).failed == 1
    assert not mail.outbox
    with override_settings(DELIVERY_CLAIM_LEASE_SECONDS=0):
        run = chokepoint_review_sweep(today=TODAY)
    assert (run.queued, run.sent) == (0, 1)
    assert "再送の技術" in mail.outbox[0].body
