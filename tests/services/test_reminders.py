"""The reminder sweep: once per (action, kind, due date), one e-mail per owner, constant queries."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dialogue.enums import ActionStatus, Language, Marking, ReminderKind
from dialogue.models import Reminder
from dialogue.services.reminders import reminder_sweep
from tests import factories as f

TODAY = datetime.date(2026, 11, 25)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def owner(db):
    return f.OfficialFactory(username="owner", email="owner@meti.example.jp", language=Language.JA)


@pytest.mark.django_db
def test_due_in_seven_days_tomorrow_and_overdue_are_reminded(owner):
    f.FollowUpActionFactory(owner=owner, due_on=days(7), title="七日後", marking=Marking.GREEN)
    f.FollowUpActionFactory(owner=owner, due_on=days(1), title="明日", marking=Marking.GREEN)
    f.FollowUpActionFactory(owner=owner, due_on=days(-3), title="期限切れ", marking=Marking.GREEN)
    f.FollowUpActionFactory(owner=owner, due_on=days(3), title="三日後")  # no reminder today
    f.FollowUpActionFactory(
        owner=owner, due_on=days(-3), status=ActionStatus.DONE, completion_note="済"
    )

    run = reminder_sweep(today=TODAY)

    assert run.queued == 3 and run.sent == 1
    assert sorted(Reminder.objects.values_list("kind", flat=True)) == [
        "due_1d",
        "due_7d",
        "overdue",
    ]
    [message] = mail.outbox
    assert message.to == ["owner@meti.example.jp"]
    assert "七日後" in message.body and "明日" in message.body and "期限切れ" in message.body
    assert "三日後" not in message.body
    assert "フォローアップ" in message.subject  # the owner's language is Japanese


@pytest.mark.django_db
def test_a_second_sweep_sends_nothing(owner):
    f.FollowUpActionFactory(owner=owner, due_on=days(-1))
    reminder_sweep(today=TODAY)
    second = reminder_sweep(today=TODAY)
    assert second.queued == 0 and second.sent == 0
    assert len(mail.outbox) == 1
    assert Reminder.objects.count() == 1


@pytest.mark.django_db
def test_a_changed_due_date_earns_a_new_reminder(owner):
    action = f.FollowUpActionFactory(owner=owner, due_on=days(1))
    reminder_sweep(today=TODAY)
    action.due_on = days(7)
    action.save()
    reminder_sweep(today=TODAY)
    assert len(mail.outbox) == 2
    assert set(Reminder.objects.values_list("kind", "due_on")) == {
        (ReminderKind.DUE_TOMORROW, days(1)),
        (ReminderKind.DUE_IN_7_DAYS, days(7)),
    }


@pytest.mark.django_db
def test_long_overdue_actions_escalate_once_to_the_sector_lead(owner, semiconductors):
    lead = f.OfficialFactory(username="lead", email="lead@meti.example.jp", language=Language.EN)
    semiconductors.lead = lead
    semiconductors.save()
    f.FollowUpActionFactory(
        owner=owner, sector=semiconductors, due_on=days(-15), marking=Marking.GREEN, title="放置"
    )
    f.FollowUpActionFactory(owner=owner, sector=semiconductors, due_on=days(-10))  # not yet
    f.FollowUpActionFactory(
        owner=owner, sector=semiconductors, due_on=days(-30), marking=Marking.RED
    )

    reminder_sweep(today=TODAY)
    reminder_sweep(today=TODAY + datetime.timedelta(days=1))

    to_lead = [m for m in mail.outbox if m.to == ["lead@meti.example.jp"]]
    assert len(to_lead) == 1
    assert "Long-overdue" in to_lead[0].subject  # in the lead's language, English
    assert "放置" in to_lead[0].body
    assert Reminder.objects.filter(kind=ReminderKind.ESCALATION).count() == 1


@pytest.mark.django_db
def test_one_email_per_owner_listing_all_their_actions(owner):
    other = f.OfficialFactory(email="other@meti.example.jp")
    for _ in range(3):
        f.FollowUpActionFactory(owner=owner, due_on=days(-2))
    f.FollowUpActionFactory(owner=other, due_on=days(1))
    run = reminder_sweep(today=TODAY)
    assert run.sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "other@meti.example.jp",
        "owner@meti.example.jp",
    ]


@pytest.mark.django_db
def test_no_content_above_green_in_the_email(owner):
    f.FollowUpActionFactory(owner=owner, due_on=days(1), title="機密の題名", marking=Marking.AMBER)
    f.FollowUpActionFactory(owner=owner, due_on=days(1), title="公開の題名", marking=Marking.CLEAR)
    reminder_sweep(today=TODAY)
    [message] = mail.outbox
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "機密の題名" not in body
        assert "公開の題名" in body
        assert "TLP:AMBER" in body
    assert "http://127.0.0.1:8000/actions/" in message.body  # a link, not the content


@pytest.mark.django_db
def test_script_in_a_title_is_escaped_in_html_email(owner):
    f.FollowUpActionFactory(
        owner=owner, due_on=days(1), title="<script>alert(1)</script>", marking=Marking.GREEN
    )
    reminder_sweep(today=TODAY)
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_an_smtp_failure_leaves_the_reminder_owed_for_the_next_run(owner, settings):
    settings.EMAIL_BACKEND = "tests.support.mail.FailingBackend"
    f.FollowUpActionFactory(owner=owner, due_on=days(1))
    failed = reminder_sweep(today=TODAY)
    assert failed.failed == 1 and failed.sent == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DELIVERY_CLAIM_LEASE_SECONDS = 0  # the failed run's claim has lapsed
    retried = reminder_sweep(today=TODAY)
    assert retried.sent == 1 and len(mail.outbox) == 1
    assert Reminder.objects.get().attempts == 2


@pytest.mark.django_db
def test_the_sweep_runs_a_constant_number_of_queries(owner):
    def queries_for(n_actions: int) -> int:
        Reminder.objects.all().delete()
        from dialogue.models import FollowUpAction

        FollowUpAction.objects.all().delete()
        f.FollowUpActionFactory.create_batch(n_actions, owner=owner, due_on=days(-1))
        with CaptureQueriesContext(connection) as context:
            reminder_sweep(today=TODAY)
        return len(context.captured_queries)

    assert queries_for(1) == queries_for(40)


@pytest.mark.django_db
def test_english_owner_gets_english(owner):
    owner.language = Language.EN
    owner.save()
    f.FollowUpActionFactory(owner=owner, due_on=days(1))
    reminder_sweep(today=TODAY)
    assert "follow-up action" in mail.outbox[0].subject
    assert translation.get_language() == "ja"  # the sweep did not leak its language
