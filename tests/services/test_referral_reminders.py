"""Referral reminders: a referral waiting past the setting earns its official one e-mail."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from dialogue.enums import ReferralStatus
from dialogue.models import ReferralReminder
from dialogue.services.referral_reminders import referral_reminder_sweep
from dialogue.services.referrals import referral_respond
from tests import factories as f


@pytest.fixture
def waiting(batteries):
    official = f.OfficialFactory(sectors=[batteries], email="assigned@meti.example.jp")
    proposer = f.OfficialFactory(sectors=[batteries])
    concern = f.ConcernFactory(sector=batteries, assigned_to=official)
    referral = f.ReferralFactory(concern=concern, proposed_by=proposer)
    return {"official": official, "proposer": proposer, "concern": concern, "referral": referral}


def days_later(days):
    return timezone.now() + datetime.timedelta(days=days)


@pytest.mark.django_db
def test_a_referral_waiting_past_the_setting_reminds_the_assigned_official_once(waiting, settings):
    settings.REFERRAL_REMINDER_AFTER_DAYS = 14
    mail.outbox = []
    assert referral_reminder_sweep(now=days_later(13)).queued == 0
    run = referral_reminder_sweep(now=days_later(15))
    assert (run.queued, run.sent) == (1, 1)
    [message] = mail.outbox
    assert message.to == ["assigned@meti.example.jp"]
    # The concern is AMBER+STRICT: its title stays out of the e-mail, the link leads to it.
    assert waiting["concern"].title not in message.body
    assert f"/concerns/{waiting['concern'].pk}/" in message.body
    assert "同意待ち" in message.body
    assert referral_reminder_sweep(now=days_later(16)).queued == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_new_wait_earns_a_new_reminder_and_the_setting_is_read(waiting, settings):
    settings.REFERRAL_REMINDER_AFTER_DAYS = 3
    referral_reminder_sweep(now=days_later(4))
    referral = referral_respond(
        referral=waiting["referral"], actor=waiting["concern"].submitted_by, consent=True
    )
    assert referral.status == ReferralStatus.CONSENTED
    mail.outbox = []
    referral_reminder_sweep(now=days_later(4))
    assert list(ReferralReminder.objects.values_list("wait", flat=True).order_by("pk")) == [
        "consent",
        "answer",
    ]
    assert len(mail.outbox) == 1 and "回答待ち" in mail.outbox[0].body


@pytest.mark.django_db
def test_without_an_assigned_official_the_proposer_is_reminded(waiting, settings):
    waiting["concern"].assigned_to = None
    waiting["concern"].save()
    referral_reminder_sweep(now=days_later(settings.REFERRAL_REMINDER_AFTER_DAYS + 1))
    assert ReferralReminder.objects.get().recipient == waiting["proposer"]
