"""The iCalendar feed: a signed per-user address, RFC 5545 format, nothing above GREEN."""

import datetime
import re

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dialogue.enums import Marking
from dialogue.services.calendar_tokens import feed_token
from tests import factories as f


def feed(client: Client, token: str):
    return client.get(reverse("workspace:calendar-feed"), {"token": token})


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


@pytest.fixture
def calendar_data(semi_official, semiconductors):
    f.DialogueSessionFactory(
        title="半導体 非公開の対話",
        sectors=[semiconductors],
        held_on=timezone.localdate() + datetime.timedelta(days=3),
        marking=Marking.AMBER,
    )
    f.DialogueSessionFactory(
        title="公開セミナー, 第1回; 半導体\\資料",
        sectors=[semiconductors],
        held_on=datetime.date(2099, 4, 1),
        marking=Marking.GREEN,
    )
    action = f.FollowUpActionFactory(
        title="秘密の対応" * 10,
        sector=semiconductors,
        owner=semi_official,
        due_on=datetime.date(2099, 5, 31),
        marking=Marking.AMBER,
    )
    return action


@pytest.mark.django_db
def test_feed_without_cookie_and_its_format(semi_official, calendar_data):
    response = feed(Client(), feed_token(semi_official))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content
    text = raw.decode("utf-8")
    # CRLF everywhere, and no physical line longer than 75 octets.
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    lines = unfold(text).split("\r\n")
    assert re.search(r"^DTSTAMP:\d{8}T\d{6}Z$", "\n".join(lines), re.M)
    assert "DTSTART;VALUE=DATE:20990401" in lines
    assert "DTEND;VALUE=DATE:20990402" in lines
    # A GREEN title, escaped; AMBER titles never appear.
    assert "SUMMARY:公開セミナー\\, 第1回\\; 半導体\\\\資料" in lines
    assert "非公開" not in text
    assert "秘密" not in text
    assert "TLP:AMBER" in unfold(text)
    assert f" #{calendar_data.pk}" in unfold(text)
    assert text.count("BEGIN:VEVENT") == 3


@pytest.mark.django_db
def test_bad_or_revoked_tokens_get_nothing(semi_official, calendar_data, company_user):
    token = feed_token(semi_official)
    assert feed(Client(), token[:-2] + "xx").status_code == 404
    assert feed(Client(), feed_token(company_user)).status_code == 404
    semi_official.set_password("a-new-password-2026")
    semi_official.save()
    assert feed(Client(), token).status_code == 404  # a password change rotates the address
    assert feed(Client(), feed_token(semi_official)).status_code == 200


@pytest.mark.django_db
def test_settings_page_shows_my_address_and_anonymous_is_sent_to_sign_in(as_semi, client):
    page = as_semi.get(reverse("workspace:calendar"))
    assert page.status_code == 200
    assert "calendar.ics?token=" in page.content.decode()
    assert client.get(reverse("workspace:calendar-feed")).status_code == 302


@pytest.mark.django_db
def test_a_red_action_is_in_its_owners_feed_only_when_they_are_named(
    semi_official, batt_official, semiconductors
):
    red = f.FollowUpActionFactory(
        title="極秘の対応",
        sector=semiconductors,
        owner=batt_official,
        due_on=datetime.date(2099, 6, 30),
        marking=Marking.RED,
        named_users=[semi_official],
    )
    text = unfold(feed(Client(), feed_token(batt_official)).content.decode())
    assert f"action-{red.pk}@" not in text and "TLP:RED" not in text

    red.named_users.add(batt_official)
    text = unfold(feed(Client(), feed_token(batt_official)).content.decode())
    assert f"action-{red.pk}@" in text and "TLP:RED" in text
    assert "極秘" not in text  # the title stays behind the link


@pytest.mark.django_db
def test_a_calendar_client_reads_the_feed_back(semi_official, calendar_data):
    """Parsed as a calendar client parses it: every event with its date, its link and a
    summary that is the GREEN title or only the marking and number."""
    response = feed(Client(), feed_token(semi_official))
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 3
    by_summary = {str(event["SUMMARY"]): event for event in events}
    green = by_summary["公開セミナー, 第1回; 半導体\\資料"]
    assert green.decoded("DTSTART") == datetime.date(2099, 4, 1)
    assert str(green["CLASS"]) == "PUBLIC"
    assert str(green["URL"]).startswith("http://testserver/sessions/")
    hidden = [event for summary, event in by_summary.items() if "TLP:AMBER" in summary]
    assert hidden and all(str(event["CLASS"]) == "CONFIDENTIAL" for event in hidden)
