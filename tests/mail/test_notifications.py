"""Concern e-mails, built directly: numbered as the recipient knows the concern, titles only
for CLEAR/GREEN, links reversed to the page the recipient can open."""

import re

import pytest
from django.urls import reverse

from dialogue.enums import ConcernStatus, Language, Marking, NotificationEvent
from dialogue.mail.notifications import concern_notification_mail
from tests import factories as f
from tests.mail.conftest import SITE

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(semiconductors):
    return f.ConcernFactory(
        sector=semiconductors, title="輸出規制の相談", marking=Marking.AMBER_STRICT
    )


def test_officials_get_the_global_number_and_the_workspace_link(concern):
    official = f.OfficialFactory(language=Language.JA)

    mail = concern_notification_mail(
        event=NotificationEvent.CONCERN_SUBMITTED, concern=concern, recipient=official
    )

    assert (
        mail.subject == f"【戦略的対話】担当分野に新しい懸念・相談 #{concern.pk} が提出されました"
    )
    link = SITE + reverse("workspace:concern-detail", kwargs={"pk": concern.pk})
    assert link in mail.text and f'href="{link}"' in mail.html
    assert "担当分野で、企業から新しい懸念・相談が提出されました。" in mail.text
    for text in (mail.subject, mail.text, mail.html):
        assert "輸出規制の相談" not in text  # AMBER+STRICT: the number, not the title


def test_company_users_get_their_reference_and_the_portal_link_never_the_id(concern):
    colleague = f.CompanyUserFactory(organization=concern.organization, language=Language.EN)
    concern.status = ConcernStatus.TRIAGED

    mail = concern_notification_mail(
        event=NotificationEvent.CONCERN_STATUS, concern=concern, recipient=colleague
    )

    assert mail.subject == (f"[Strategic dialogue] Concern {concern.reference} is now “Triaged”")
    link = SITE + reverse("portal:concern-detail", kwargs={"reference": concern.reference})
    assert link in mail.text and f'href="{link}"' in mail.html
    assert f"{concern.reference} (TLP:AMBER+STRICT: open the link to read it)" in mail.text
    global_id = re.compile(rf"#{concern.pk}(?![0-9A-Fa-f])")  # not a CSS colour like #1a1a1a
    for text in (mail.subject, mail.text, mail.html):
        assert not global_id.search(text)
        assert f"/concerns/{concern.pk}/" not in text


@pytest.mark.parametrize("marking", [Marking.CLEAR, Marking.GREEN])
def test_a_clear_or_green_title_is_named(concern, marking):
    concern.marking = marking
    colleague = f.CompanyUserFactory(organization=concern.organization, language=Language.JA)

    mail = concern_notification_mail(
        event=NotificationEvent.CONCERN_REPLY, concern=concern, recipient=colleague
    )

    assert (
        mail.subject == f"【戦略的対話】懸念・相談 {concern.reference} に職員から返信がありました"
    )
    assert "輸出規制の相談" in mail.text and "輸出規制の相談" in mail.html


def test_a_red_concern_is_not_named(concern):
    concern.marking = Marking.RED
    official = f.OfficialFactory(language=Language.EN)

    mail = concern_notification_mail(
        event=NotificationEvent.CONCERN_SUBMITTED, concern=concern, recipient=official
    )

    for text in (mail.subject, mail.text, mail.html):
        assert "輸出規制の相談" not in text
    assert f"#{concern.pk} (TLP:RED: open the link to read it)" in mail.text


def test_an_unknown_event_is_refused(concern):
    with pytest.raises(ValueError):
        concern_notification_mail(event="concern_deleted", concern=concern, recipient=concern)
