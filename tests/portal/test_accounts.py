"""Deactivation ends access at once; password reset and change; the account's language."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from dialogue.enums import Language
from dialogue.permissions import can_deactivate
from dialogue.services.accounts import user_deactivate
from dialogue.services.common import PermissionDeniedError
from tests import factories as f
from tests.support.auth import PASSWORD, signed_in


def sessions_of(user) -> int:
    return sum(
        1 for s in Session.objects.all() if str(s.get_decoded().get(SESSION_KEY)) == str(user.pk)
    )


def login(client: Client, user, password=PASSWORD):
    return client.post(reverse("portal:login"), {"username": user.username, "password": password})


# --- deactivation -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_portal_admin_deactivates_a_colleague_and_their_sessions_end_at_once(world):
    colleague = world["a_colleague"]
    laptop, phone = Client(), Client()
    assert login(laptop, colleague).status_code == 302
    assert login(phone, colleague).status_code == 302
    key = f.api_key(colleague)
    other = signed_in(world["a"])  # someone else's session survives
    assert sessions_of(colleague) == 2

    response = signed_in(world["a_admin"]).post(
        reverse("portal:colleague-deactivate", kwargs={"pk": colleague.pk})
    )

    assert response.status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert sessions_of(colleague) == 0
    assert not colleague.api_tokens.exists()
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    for client in (laptop, phone):
        page = client.get(reverse("portal:home"))
        assert page.status_code == 302
        assert page["Location"].startswith(reverse("portal:login"))
    assert other.get(reverse("portal:home")).status_code == 200
    # The change is in the user's history, attributed to the admin.
    assert colleague.history.first().history_user == world["a_admin"]
    # And they cannot sign in again (the same generic message as a wrong password).
    assert login(Client(), colleague).status_code == 200


@pytest.mark.django_db
def test_a_deactivated_person_gets_no_api_access(world):
    key = f.api_key(world["a_colleague"])
    user_deactivate(actor=world["a_admin"], user=world["a_colleague"])
    response = Client().get("/api/v1/concerns/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401


@pytest.mark.django_db
def test_who_may_deactivate_whom(world, semiconductors):
    secretariat = f.SecretariatFactory()
    assert can_deactivate(world["a_admin"], world["a_colleague"])
    assert not can_deactivate(world["a_admin"], world["a_admin"])  # not oneself
    assert not can_deactivate(world["a_admin"], world["b"])  # not another organization
    assert not can_deactivate(world["a"], world["a_colleague"])  # not a plain member
    assert can_deactivate(world["official"], world["b"])
    assert not can_deactivate(world["official"], f.OfficialFactory(sectors=[semiconductors]))
    assert can_deactivate(secretariat, world["official"])
    with pytest.raises(PermissionDeniedError):
        user_deactivate(actor=world["a_admin"], user=world["b"])
    page = signed_in(world["a_admin"]).get(reverse("portal:colleague-list")).content.decode()
    own_button = reverse("portal:colleague-deactivate", kwargs={"pk": world["a_admin"].pk})
    assert own_button not in page
    assert reverse("portal:colleague-deactivate", kwargs={"pk": world["a"].pk}) in page


@pytest.mark.django_db
def test_deactivating_a_portal_admin_withdraws_their_pending_invitations(world):
    invitation = world["invitation"]  # sent by A's admin
    user_deactivate(actor=world["official"], user=world["a_admin"])
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


@pytest.mark.django_db
def test_the_admin_action_deactivates_the_selected_people(world):
    colleague = world["a_colleague"]
    victim = Client()
    login(victim, colleague)
    admin_client = signed_in(f.SecretariatFactory(is_superuser=True))

    response = admin_client.post(
        reverse("admin:dialogue_user_changelist"),
        {"action": "deactivate_users", "_selected_action": [colleague.pk, world["b"].pk]},
    )

    assert response.status_code == 302
    colleague.refresh_from_db()
    world["b"].refresh_from_db()
    assert not colleague.is_active and not world["b"].is_active
    assert victim.get(reverse("portal:home")).status_code == 302


# --- password reset -------------------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_by_email_in_the_recipients_language(world):
    user = world["a"]
    user.language = Language.EN
    user.save()
    mail.outbox.clear()

    response = Client(HTTP_ACCEPT_LANGUAGE="ja").post(
        reverse("portal:password-reset"), {"email": user.email}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:password-reset-done")
    [message] = mail.outbox
    assert message.to == [user.email]
    assert "Set a new password for the company portal" in message.subject
    link = re.search(r"https?://\S+/portal/password-reset/\S+/\S+/", message.body).group(0)
    assert link in message.alternatives[0][0]
    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Atarashii-2026!", "new_password2": "Atarashii-2026!"},
    )
    assert done["Location"] == reverse("portal:password-reset-complete")
    user.refresh_from_db()
    assert user.check_password("Atarashii-2026!")
    # The link works once.
    again = Client(HTTP_ACCEPT_LANGUAGE="en").get(link, follow=True).content.decode()
    assert "The link has been used already or has expired." in again
    assert 'name="new_password1"' not in again


@pytest.mark.django_db
def test_password_reset_sends_nothing_to_officials_deactivated_or_unknown_addresses(world):
    world["a_colleague"].is_active = False
    world["a_colleague"].save()
    mail.outbox.clear()
    client = Client()
    for email in (world["official"].email, world["a_colleague"].email, "nobody@example.jp"):
        response = client.post(reverse("portal:password-reset"), {"email": email})
        assert response["Location"] == reverse("portal:password-reset-done")  # the same answer
    assert mail.outbox == []


@pytest.mark.django_db
def test_changing_the_password_keeps_this_session_and_ends_the_others(world):
    user = world["a"]
    other = Client()
    login(other, user)
    client = Client()
    login(client, user)

    response = client.post(
        reverse("portal:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mou-hitotsu-2026",
            "new_password2": "Mou-hitotsu-2026",
        },
    )

    assert response["Location"] == reverse("portal:account")
    assert client.get(reverse("portal:home")).status_code == 200
    assert other.get(reverse("portal:home")).status_code == 302


# --- sign-in and language -----------------------------------------------------------------


@pytest.mark.django_db
def test_signing_in_uses_the_stored_language_and_lands_in_the_portal(world):
    user = world["a"]
    user.language = Language.EN
    user.save()
    client = Client()
    response = login(client, user)
    assert response["Location"] == reverse("portal:home")
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get(reverse("portal:home")).content.decode()


@pytest.mark.django_db
def test_an_official_signing_in_at_the_portal_goes_to_the_workspace(world):
    response = login(Client(), world["official"])
    assert response["Location"] == reverse("workspace:dashboard")


@pytest.mark.django_db
def test_the_account_page_changes_the_language_of_pages_and_emails(world):
    client = signed_in(world["a"])
    response = client.post(reverse("portal:account"), {"language": "en"})
    world["a"].refresh_from_db()
    assert world["a"].language == Language.EN
    assert response.cookies["django_language"].value == "en"
    bad = client.post(reverse("portal:account"), {"language": "fr"})
    assert bad.status_code == 400


@pytest.mark.django_db
def test_signing_out_is_a_post(world):
    client = signed_in(world["a"])
    assert client.get(reverse("portal:logout")).status_code == 405
    response = client.post(reverse("portal:logout"))
    assert response["Location"] == reverse("portal:login")
    assert client.get(reverse("portal:home")).status_code == 302
