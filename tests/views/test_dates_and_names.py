"""One way of writing dates, times and names: JST, in the reader's language's style, family
name first."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation

from dialogue.enums import ActionStatus, Language
from dialogue.services.reminders import reminder_sweep
from tests import factories as f
from tests.support.auth import signed_in

UTC_MORNING = datetime.datetime(2026, 12, 7, 2, 29, 41, 617267, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_change_history_shows_times_in_jst_in_the_readers_style(as_semi, semiconductors):
    action = f.FollowUpActionFactory(sector=semiconductors, status=ActionStatus.OPEN)
    action.status = ActionStatus.DONE
    action.completed_at = UTC_MORNING
    action.save()
    url = reverse("workspace:action-detail", args=[action.pk])

    page = as_semi.get(url).content.decode()
    assert "2026/12/07 11:29" in page  # 02:29 UTC is 11:29 in Tokyo
    assert "+00:00" not in page and "617267" not in page

    as_semi.cookies["django_language"] = "en"
    page = as_semi.get(url, headers={"accept-language": "en"}).content.decode()
    assert "2026-12-07 11:29" in page
    assert "12/07/2026" not in page and "a.m." not in page


@pytest.mark.parametrize(
    ("language", "date_text", "datetime_text"),
    [
        ("ja", "2026年12月7日", "2026年12月7日 11:29"),
        ("en", "7 December 2026", "7 December 2026 11:29"),
    ],
)
def test_long_dates_read_the_same_way_in_pages_and_reports(language, date_text, datetime_text):
    with translation.override(language), timezone.override("Asia/Tokyo"):
        assert formats.date_format(datetime.date(2026, 12, 7), "DATE_FORMAT") == date_text
        moment = timezone.localtime(UTC_MORNING)
        assert formats.date_format(moment, "DATETIME_FORMAT") == datetime_text


@pytest.mark.django_db
def test_email_greets_family_name_first(semiconductors):
    owner = f.OfficialFactory(
        first_name="一郎", last_name="半田", email="handa@meti.example.jp", language=Language.JA
    )
    f.FollowUpActionFactory(
        owner=owner, sector=semiconductors, due_on=timezone.localdate() + datetime.timedelta(1)
    )
    reminder_sweep()
    [message] = mail.outbox
    assert "半田 一郎 様" in message.body
    assert "一郎 半田" not in message.body


@pytest.mark.django_db
def test_admin_greets_by_family_name(reference_data):
    admin = get_user_model().objects.create_superuser(
        "admin-handa",
        "admin@meti.example.jp",
        "x-Long-passw0rd",
        first_name="一郎",
        last_name="半田",
    )
    page = signed_in(admin).get(reverse("admin:index")).content.decode()
    greeting = re.search(r'<div id="user-tools">(.*?)</div>', page, re.S).group(1)
    assert "半田" in greeting and "一郎" not in greeting
