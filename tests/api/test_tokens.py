"""API tokens: a password change or reset ends them, they expire, and their owner lists and
revokes them (API, portal account page, workspace account page); issuing and revoking is
audited."""

from __future__ import annotations

import datetime
import json
import logging
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dialogue.logging import JsonFormatter
from tests import factories as f
from tests.support.auth import PASSWORD, bearer

NEW_PASSWORD = "a-brand-new-passphrase-2026"
ME = "/api/v1/me/"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Sign-in throttles and lock-outs live in the cache: start each test empty."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def audit(caplog):
    logger = logging.getLogger("dialogue.audit")
    [formatter] = [h.formatter for h in logger.handlers if isinstance(h.formatter, JsonFormatter)]
    attached = caplog.handler not in logger.handlers
    if attached:
        logger.addHandler(caplog.handler)

    def lines(event: str) -> list[dict]:
        found = []
        for record in caplog.records:
            if record.name == "dialogue.audit":
                entry = json.loads(formatter.format(record))
                if entry["event"] == event:
                    found.append(entry)
        return found

    yield lines
    if attached:
        logger.removeHandler(caplog.handler)


@pytest.fixture
def company(semiconductors):
    organization = f.OrganizationFactory(sectors=[semiconductors])
    return f.CompanyUserFactory(username="company_a", organization=organization)


@pytest.fixture
def official(semiconductors):
    return f.OfficialFactory(username="semi_official", sectors=[semiconductors])


def obtain(user, **extra) -> dict:
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": PASSWORD, **extra},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def browser(user, password=PASSWORD, login="portal:login") -> Client:
    client = Client()
    response = client.post(reverse(login), {"username": user.username, "password": password})
    assert response.status_code == 302
    return client


# --- a new password ends every token ---------------------------------------------------


@pytest.mark.django_db
def test_a_portal_password_change_ends_the_api_token_and_other_sessions(company):
    # given: a token and two browser sessions
    key = obtain(company)["token"]
    assert bearer(key).get(ME).status_code == 200
    laptop, phone = browser(company), browser(company)

    # when: the password is changed on the laptop
    response = laptop.post(
        reverse("portal:password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    # then: the old token is refused, the laptop stays signed in, the phone is signed out
    assert response.status_code == 302
    assert bearer(key).get(ME).status_code == 401
    assert laptop.get(reverse("portal:account")).status_code == 200
    assert phone.get(reverse("portal:account")).status_code == 302
    assert company.api_tokens.count() == 0


@pytest.mark.django_db
def test_a_password_reset_ends_the_api_token(company):
    key = obtain(company)["token"]
    Client().post(reverse("portal:password-reset"), {"email": company.email})
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/portal/\S+/)", message.body).group(1)
    client = Client()
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert bearer(key).get(ME).status_code == 401


@pytest.mark.django_db
def test_a_workspace_password_change_ends_the_api_token(official):
    key = obtain(official)["token"]
    desk = browser(official, login="workspace:login")

    response = desk.post(
        reverse("workspace:password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert bearer(key).get(ME).status_code == 401
    assert desk.get(reverse("workspace:dashboard")).status_code == 200


@pytest.mark.django_db
def test_every_other_way_of_setting_a_password_ends_the_tokens_too(company, official, admin_user):
    # The admin's "change password" form, Django's set-password form, the changepassword
    # command: all save a new hash through User.save().
    first = obtain(company)["token"]
    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(
        reverse("admin:auth_user_password_change", args=[company.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert bearer(first).get(ME).status_code == 401

    second = obtain(official)["token"]
    form = SetPasswordForm(official, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert form.is_valid()
    form.save()
    assert bearer(second).get(ME).status_code == 401


@pytest.mark.django_db
def test_a_password_hash_upgrade_at_sign_in_keeps_the_tokens(company, settings):
    # Django re-hashes a password with stronger parameters when its owner signs in: the
    # password is the same, so nothing is revoked.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    company.set_password(PASSWORD)
    company.save()
    key = obtain(company)["token"]
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]

    obtain(company)
    company.refresh_from_db()

    assert company.password.startswith("pbkdf2_")
    assert bearer(key).get(ME).status_code == 200


@pytest.mark.django_db
def test_the_changepassword_command_ends_the_tokens(company, monkeypatch):
    key = obtain(company)["token"]
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", company.username, stdout=None)
    assert bearer(key).get(ME).status_code == 401


# --- expiry -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_token_expires_after_api_token_ttl_days(company, settings, monkeypatch):
    settings.API_TOKEN_TTL_DAYS = 30
    issued = obtain(company)
    expires = datetime.datetime.fromisoformat(issued["expires_at"])
    assert datetime.timedelta(days=29, hours=23) < expires - timezone.now()
    assert expires - timezone.now() <= datetime.timedelta(days=30)
    assert bearer(issued["token"]).get(ME).status_code == 200

    later = timezone.now() + datetime.timedelta(days=30, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    response = bearer(issued["token"]).get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_the_key_is_not_stored(company):
    from dialogue.models import ApiToken

    key = obtain(company)["token"]
    token = ApiToken.objects.get(user=company)
    assert key not in {str(value) for value in vars(token).values()}


# --- the owner lists and revokes ----------------------------------------------------------


@pytest.mark.django_db
def test_the_owner_lists_their_tokens_without_the_keys(company, official):
    laptop = obtain(company, name="laptop")
    obtain(company, name="nightly sync")
    obtain(official)

    response = bearer(laptop["token"]).get("/api/v1/auth/tokens/")

    assert response.status_code == 200
    rows = response.json()
    assert sorted(row["name"] for row in rows) == ["laptop", "nightly sync"]
    assert [row["current"] for row in rows if row["name"] == "laptop"] == [True]
    assert laptop["token"] not in response.content.decode()
    assert {"id", "name", "created_at", "expires_at", "last_used_at"} <= set(rows[0])


@pytest.mark.django_db
def test_the_owner_revokes_one_token_and_another_users_token_is_not_found(company, official):
    laptop = obtain(company, name="laptop")
    sync = obtain(company, name="sync")
    theirs = obtain(official)
    client = bearer(laptop["token"])

    assert client.delete(f"/api/v1/auth/tokens/{sync['id']}/").status_code == 204
    assert bearer(sync["token"]).get(ME).status_code == 401
    assert bearer(laptop["token"]).get(ME).status_code == 200

    other = client.delete(f"/api/v1/auth/tokens/{theirs['id']}/")
    missing = client.delete("/api/v1/auth/tokens/99999999/")
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content
    assert bearer(theirs["token"]).get(ME).status_code == 200


@pytest.mark.django_db
def test_issuing_and_revoking_tokens_is_audited(company, audit):
    issued = obtain(company, name="laptop")
    bearer(issued["token"]).delete("/api/v1/auth/token/")
    other = obtain(company)
    company.set_password(NEW_PASSWORD)
    company.save()

    created = audit("token.created")
    revoked = audit("token.revoked")
    assert [entry["object_id"] for entry in created] == [issued["id"], other["id"]]
    assert all(entry["username"] == "company_a" for entry in created + revoked)
    assert [(entry["object_id"], entry["reason"]) for entry in revoked] == [
        (issued["id"], "signed_out"),
        (other["id"], "password_changed"),
    ]
    assert issued["token"] not in json.dumps(created + revoked)


@pytest.mark.django_db
def test_the_portal_account_page_lists_and_revokes_tokens(company, official):
    mine = obtain(company, name="経理システム連携")
    theirs = obtain(official, name="official-laptop")
    client = browser(company)

    page = client.get(reverse("portal:account")).content.decode()
    assert "経理システム連携" in page
    assert "official-laptop" not in page
    assert mine["token"] not in page

    foreign = client.post(reverse("portal:token-revoke", args=[theirs["id"]]))
    assert foreign.status_code == 404
    # The first press asks; the token works until the person confirms.
    asked = client.post(reverse("portal:token-revoke", args=[mine["id"]]))
    assert asked.status_code == 200 and "経理システム連携" in asked.content.decode()
    assert bearer(mine["token"]).get(ME).status_code == 200
    response = client.post(reverse("portal:token-revoke", args=[mine["id"]]), {"confirmed": "yes"})
    assert response.status_code == 302
    assert bearer(mine["token"]).get(ME).status_code == 401
    assert bearer(theirs["token"]).get(ME).status_code == 200


@pytest.mark.django_db
def test_the_workspace_account_page_lists_and_revokes_tokens(official, company):
    mine = obtain(official, name="analysis-notebook")
    theirs = obtain(company, name="company-sync")
    desk = browser(official, login="workspace:login")

    page = desk.get(reverse("workspace:password-change")).content.decode()
    assert "analysis-notebook" in page
    assert "company-sync" not in page

    assert desk.post(reverse("workspace:token-revoke", args=[theirs["id"]])).status_code == 404
    asked = desk.post(reverse("workspace:token-revoke", args=[mine["id"]]))
    assert asked.status_code == 200 and 'name="confirmed" value="yes"' in asked.content.decode()
    assert bearer(mine["token"]).get(ME).status_code == 200
    response = desk.post(reverse("workspace:token-revoke", args=[mine["id"]]), {"confirmed": "yes"})
    assert response.status_code == 302
    assert bearer(mine["token"]).get(ME).status_code == 401
    assert bearer(theirs["token"]).get(ME).status_code == 200


@pytest.mark.django_db
def test_legacy_keys_keep_working_after_the_upgrade_and_leave_no_plain_copy(company):
    # Django REST framework's authtoken table, as an older installation has it.
    import importlib

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("dialogue.migrations.0005_api_tokens")
    legacy_key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token "
            '("key" varchar(40) PRIMARY KEY, created timestamp, user_id integer)'
        )
        cursor.execute(
            'INSERT INTO authtoken_token ("key", created, user_id) VALUES (%s, %s, %s)',
            [legacy_key, timezone.now(), company.pk],
        )
    # The step reads and writes through the editor's connection only.
    migration.move_legacy_tokens(apps, SimpleNamespace(connection=connection))

    assert bearer(legacy_key).get(ME).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone() == (0,)
