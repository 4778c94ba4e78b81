"""The invitation e-mail, built directly, in the language chosen for the invited person."""

import datetime

import pytest

from dialogue.enums import Language
from dialogue.mail.invitations import invitation_mail
from dialogue.services.invitations import InvitedPerson

LINK = "https://dialogue.example.go.jp/portal/join/abc/"
EXPIRES = datetime.datetime(2026, 12, 8, 0, 0, tzinfo=datetime.UTC)


def mail_in(language: str, *, is_org_admin: bool = False):
    return invitation_mail(
        recipient=InvitedPerson(email="new@corp.example.jp", language=language),
        organization_name="株式会社テスト" if language == Language.JA else "Test Corp.",
        inviter_name="経済 太郎",
        link=LINK,
        expires_at=EXPIRES,
        is_org_admin=is_org_admin,
    )


@pytest.mark.django_db
def test_in_japanese():
    mail = mail_in(Language.JA)
    assert mail.to == "new@corp.example.jp"
    assert mail.subject == "【戦略的対話】株式会社テスト の企業向けポータルへのご招待"
    assert LINK in mail.text and f'href="{LINK}"' in mail.html
    assert "経済 太郎" in mail.text


@pytest.mark.django_db
def test_in_english_for_an_organizations_admin():
    mail = mail_in(Language.EN, is_org_admin=True)
    assert mail.subject == "[Strategic dialogue] Invitation to the company portal for Test Corp."
    assert "You will be your organization's portal admin" in mail.text
