"""The reminder e-mail, built directly: language, titles by marking, absolute links."""

import datetime

import pytest
from django.urls import reverse

from dialogue.enums import Language, Marking, ReminderKind
from dialogue.mail.reminders import ReminderLine, reminder_mail
from tests import factories as f
from tests.mail.conftest import SITE

DUE = datetime.date(2026, 12, 1)


def line(action_id, title, marking, kind=ReminderKind.DUE_TOMORROW) -> ReminderLine:
    return ReminderLine(
        action_id=action_id,
        kind=kind,
        title=title,
        marking=marking,
        due_on=DUE,
        sector_name_ja="半導体",
        sector_name_en="Semiconductors",
    )


LINES = [
    line(11, "公開の題名", Marking.CLEAR),
    line(12, "共有の題名", Marking.GREEN),
    line(13, "機密の題名", Marking.AMBER),
    line(14, "赤の題名", Marking.RED, kind=ReminderKind.OVERDUE),
]


def texts(mail) -> list[str]:
    return [mail.subject, mail.text, mail.html]


@pytest.mark.django_db
def test_in_japanese_titles_only_for_clear_and_green():
    owner = f.OfficialFactory(language=Language.JA, email="owner@meti.example.jp")

    mail = reminder_mail(recipient=owner, reminders=LINES)

    assert mail.to == "owner@meti.example.jp"
    assert mail.subject == "【戦略的対話】ご確認が必要なフォローアップアクションが 4 件あります"
    assert "以下のフォローアップアクションは、期限が近づいているか、期限を過ぎています" in mail.text
    assert "[期限切れ]" in mail.text and "半導体" in mail.text and "2026-12-01" in mail.text
    for text in texts(mail):
        assert "機密の題名" not in text and "赤の題名" not in text
    for body in (mail.text, mail.html):
        assert "公開の題名" in body and "共有の題名" in body
        assert "#13（TLP:AMBER：内容はリンク先でご確認ください）" in body
        assert "#14（TLP:RED：内容はリンク先でご確認ください）" in body


@pytest.mark.django_db
def test_in_english_with_the_english_sector_name():
    owner = f.OfficialFactory(language=Language.EN)

    mail = reminder_mail(recipient=owner, reminders=LINES[:1])

    assert mail.subject == "[Strategic dialogue] 1 follow-up action needs your attention"
    assert "These follow-up actions are due soon or overdue:" in mail.text
    assert "[Due tomorrow] 公開の題名" in mail.text
    assert "Semiconductors" in mail.text and "半導体" not in mail.text


@pytest.mark.django_db
def test_links_are_absolute_and_reversed_workspace_for_officials_portal_for_companies():
    official = f.OfficialFactory()
    company = f.CompanyUserFactory()

    to_official = reminder_mail(recipient=official, reminders=LINES[:1])
    to_company = reminder_mail(recipient=company, reminders=LINES[:1])

    workspace = SITE + reverse("workspace:action-detail", kwargs={"pk": 11})
    portal = SITE + reverse("portal:action-detail", kwargs={"pk": 11})
    assert workspace in to_official.text and f'href="{workspace}"' in to_official.html
    assert portal in to_company.text and f'href="{portal}"' in to_company.html
    assert workspace not in to_company.text
    assert "//actions" not in to_official.text


@pytest.mark.django_db
def test_a_long_list_shows_the_first_ones_then_the_tracker(settings):
    settings.REMINDER_MAX_LISTED = 2
    official = f.OfficialFactory(language=Language.EN)
    company = f.CompanyUserFactory(language=Language.EN)

    mail = reminder_mail(recipient=official, reminders=LINES)
    to_company = reminder_mail(recipient=company, reminders=LINES)

    assert "4 follow-up actions need your attention" in mail.subject
    assert "公開の題名" in mail.text and "共有の題名" in mail.text
    assert "#13 (TLP:AMBER" not in mail.text  # not listed: behind the tracker link
    tracker = SITE + reverse("workspace:action-list") + "?overdue=true"
    assert f"… and 2 more actions: {tracker}" in mail.text
    assert f'href="{tracker}"' in mail.html
    assert SITE + reverse("portal:action-list") in to_company.text


@pytest.mark.django_db
def test_an_escalation_has_its_own_subject_in_each_language():
    lead = f.OfficialFactory(language=Language.EN)
    escalated = [line(21, "放置", Marking.GREEN, kind=ReminderKind.ESCALATION)]

    english = reminder_mail(recipient=lead, reminders=escalated)
    lead.language = Language.JA
    japanese = reminder_mail(recipient=lead, reminders=escalated)

    assert english.subject == "[Strategic dialogue] Long-overdue actions in your sector"
    assert "These actions in your sector are long overdue:" in english.text
    assert japanese.subject == "【戦略的対話】担当分野で期限を大幅に過ぎたアクションがあります"


@pytest.mark.django_db
def test_html_escapes_titles():
    owner = f.OfficialFactory()
    mail = reminder_mail(
        recipient=owner, reminders=[line(31, "<script>alert(1)</script>", Marking.GREEN)]
    )
    assert "<script>alert(1)</script>" not in mail.html
    assert "&lt;script&gt;" in mail.html
