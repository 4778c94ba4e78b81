"""Onboarding by invitation: single-use, expiring links whose token is stored only as a hash."""

import datetime
import hashlib
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dialogue.enums import Language, Role
from dialogue.models import Invitation, User
from dialogue.services.common import PermissionDeniedError
from dialogue.services.invitations import invitation_accept, invitation_create
from tests import factories as f
from tests.support.auth import signed_in

PASSWORD = "Sora-to-umi-2026"


def link_in(message) -> str:
    return re.search(r"https?://\S+/portal/join/(\S+)/", message.body).group(0)


def token_in(message) -> str:
    return re.search(r"/portal/join/(\S+)/", message.body).group(1)


def accept(client: Client, link: str, **data):
    client.get(link)
    payload = {"last_name": "佐藤", "first_name": "花子", "new_password1": PASSWORD}
    payload["new_password2"] = payload["new_password1"]
    payload.update(data)
    return client.post(reverse("portal:invitation-accept"), payload)


# --- creating ------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_official_invites_a_person_and_only_the_tokens_hash_is_stored(world, settings):
    mail.outbox.clear()
    before = timezone.now()

    invitation, link = invitation_create(
        inviter=world["official"],
        organization=world["org_b"],
        email=" Suzuki@B.example.jp ",
        language=Language.EN,
    )

    [message] = mail.outbox
    assert message.to == ["suzuki@b.example.jp"]
    assert link in message.body
    assert "invites you to the company portal" in message.body  # the invitation's language
    assert "B Corp." in message.body
    token = token_in(message)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in {str(value) for value in stored.values()}
    ttl = invitation.expires_at - before
    assert datetime.timedelta(days=7) <= ttl < datetime.timedelta(days=7, minutes=1)
    html = message.alternatives[0][0]
    assert f'href="{link}"' in html


@pytest.mark.django_db
def test_the_link_lifetime_is_a_setting(world, settings):
    settings.INVITATION_TTL_DAYS = 2
    invitation, _ = invitation_create(
        inviter=world["official"], organization=world["org_b"], email="x@b.example.jp"
    )
    assert invitation.expires_at - timezone.now() < datetime.timedelta(days=2, minutes=1)


@pytest.mark.django_db
def test_a_portal_admin_invites_a_colleague_to_their_own_organization_only(world):
    client = signed_in(world["a_admin"])
    mail.outbox.clear()

    response = client.post(
        reverse("portal:colleague-invite"),
        {"email": "yamada@a.example.jp", "language": "ja"},
    )

    assert response.status_code == 302
    invitation = Invitation.objects.get(email="yamada@a.example.jp")
    assert invitation.organization == world["org_a"]
    assert invitation.invited_by == world["a_admin"]
    assert not invitation.is_org_admin
    assert len(mail.outbox) == 1
    assert "yamada@a.example.jp" in client.get(reverse("portal:colleague-list")).content.decode()
    with pytest.raises(PermissionDeniedError):
        invitation_create(inviter=world["a_admin"], organization=world["org_b"], email="z@b.jp")
    with pytest.raises(PermissionDeniedError):
        invitation_create(inviter=world["a"], organization=world["org_a"], email="z@a.jp")


@pytest.mark.django_db
def test_inviting_an_existing_colleague_is_refused_without_revealing_other_organizations(world):
    client = signed_in(world["a_admin"])
    own = client.post(
        reverse("portal:colleague-invite"),
        {"email": world["a_colleague"].email.upper(), "language": "en"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert own.status_code == 400
    assert "An account with this e-mail address already exists." in own.content.decode()
    # Company B's person: the admin of A is not told that the address has an account.
    other = client.post(
        reverse("portal:colleague-invite"), {"email": world["b"].email, "language": "en"}
    )
    assert other.status_code == 302


@pytest.mark.django_db
def test_a_new_invitation_replaces_the_older_one(world):
    mail.outbox.clear()
    for _ in range(2):
        invitation_create(inviter=world["official"], organization=world["org_b"], email="n@b.jp")
    old, new = mail.outbox
    assert accept(Client(), link_in(old)).status_code == 410
    assert accept(Client(), link_in(new)).status_code == 302


@pytest.mark.django_db
def test_script_in_names_is_escaped_in_the_invitation_email(world):
    evil = f.OrganizationFactory(name="<script>alert(1)</script>株式会社")
    mail.outbox.clear()
    invitation_create(inviter=world["official"], organization=evil, email="e@evil.jp")
    [message] = mail.outbox
    html = message.alternatives[0][0]
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;株式会社" in html


# --- accepting --------------------------------------------------------------------------


@pytest.mark.django_db
def test_accepting_creates_the_account_signs_in_and_uses_the_link_up(world):
    mail.outbox.clear()
    invitation_create(
        inviter=world["a_admin"],
        organization=world["org_a"],
        email="sato@a.example.jp",
        is_org_admin=True,
        language=Language.EN,
    )
    link = link_in(mail.outbox[0])
    client = Client()

    landing = client.get(link)
    assert landing.status_code == 302
    assert landing["Location"] == reverse("portal:invitation-accept")  # the token leaves the URL
    form = client.get(reverse("portal:invitation-accept"))
    assert "株式会社A" in form.content.decode() or "A Corp." in form.content.decode()
    response = accept(client, link)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    user = User.objects.get(username="sato@a.example.jp")
    assert (user.role, user.organization, user.is_org_admin) == (Role.COMPANY, world["org_a"], True)
    assert (user.last_name, user.first_name, user.language) == ("佐藤", "花子", Language.EN)
    assert user.check_password(PASSWORD)
    assert int(client.session[SESSION_KEY]) == user.pk
    assert response.cookies["django_language"].value == "en"
    invitation = Invitation.objects.get(email="sato@a.example.jp")
    assert invitation.accepted_user == user and invitation.accepted_at is not None
    # Single use: the same link again, in another browser.
    again = accept(Client(), link, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 410
    assert User.objects.filter(email="sato@a.example.jp").count() == 1


@pytest.mark.django_db
def test_the_link_works_once_even_through_the_service(world):
    _invitation, link = invitation_create(
        inviter=world["official"], organization=world["org_b"], email="once@b.jp"
    )
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation_accept(token=token, password=PASSWORD)
    from dialogue.services.invitations import InvitationUnusableError

    with pytest.raises(InvitationUnusableError) as error:
        invitation_accept(token=token, password=PASSWORD)
    assert error.value.reason == "used"


@pytest.mark.django_db
def test_an_expired_link_is_refused(world):
    mail.outbox.clear()
    invitation, _ = invitation_create(
        inviter=world["official"], organization=world["org_b"], email="late@b.jp"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = accept(client, link_in(mail.outbox[0]))
    assert response.status_code == 410
    assert "The invitation has expired" in response.content.decode()
    assert not User.objects.filter(email="late@b.jp").exists()


@pytest.mark.django_db
def test_a_revoked_link_is_refused(world):
    client = signed_in(world["a_admin"])
    invitation = world["invitation"]
    mail.outbox.clear()
    invitation2, link = invitation_create(
        inviter=world["a_admin"], organization=world["org_a"], email="revoke@a.jp"
    )
    response = client.post(reverse("portal:invitation-revoke", kwargs={"pk": invitation2.pk}))
    assert response.status_code == 302
    invitation2.refresh_from_db()
    assert invitation2.revoked_at is not None
    assert accept(Client(), link).status_code == 410
    assert invitation.pk != invitation2.pk


@pytest.mark.django_db
def test_an_unknown_or_missing_token_is_a_404(world):
    client = Client()
    assert (
        accept(client, reverse("portal:invitation-link", kwargs={"token": "guess"})).status_code
        == 404
    )
    assert Client().get(reverse("portal:invitation-accept")).status_code == 404


@pytest.mark.django_db
def test_a_weak_password_is_refused_and_the_link_still_works(world):
    mail.outbox.clear()
    invitation_create(inviter=world["official"], organization=world["org_b"], email="w@b.jp")
    link = link_in(mail.outbox[0])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    weak = accept(client, link, new_password1="12345678", new_password2="12345678")
    differ = accept(client, link, new_password2="something-else-2026")

    assert weak.status_code == 200
    assert "This password is too common." in weak.content.decode()
    assert "The two passwords differ." in differ.content.decode()
    assert not User.objects.filter(email="w@b.jp").exists()
    assert accept(client, link).status_code == 302


@pytest.mark.django_db
def test_an_account_created_meanwhile_for_the_address_is_not_duplicated(world):
    mail.outbox.clear()
    invitation_create(inviter=world["official"], organization=world["org_b"], email="dup@b.jp")
    f.CompanyUserFactory(username="dup@b.jp", organization=world["org_b"])
    response = accept(Client(HTTP_ACCEPT_LANGUAGE="en"), link_in(mail.outbox[0]))
    assert "An account with this e-mail address already exists." in response.content.decode()
    assert User.objects.filter(username="dup@b.jp").count() == 1


# --- the admin, for officials ------------------------------------------------------------


@pytest.mark.django_db
def test_an_official_invites_through_the_admin(world):
    mail.outbox.clear()
    client = signed_in(world["official"])
    response = client.post(
        reverse("admin:dialogue_invitation_add"),
        {
            "email": "admin-invited@b.jp",
            "organization": world["org_b"].pk,
            "is_org_admin": "on",
            "language": "ja",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    invitation = Invitation.objects.get(email="admin-invited@b.jp")
    assert invitation.is_org_admin and invitation.invited_by == world["official"]
    assert [m.to for m in mail.outbox] == [["admin-invited@b.jp"]]
    # The admin never shows the link, and company users have no admin.
    page = client.get(reverse("admin:dialogue_invitation_change", args=[invitation.pk]))
    assert "/portal/join/" not in page.content.decode()
    assert (
        signed_in(world["a_admin"]).get(reverse("admin:dialogue_invitation_changelist")).status_code
        == 302
    )
