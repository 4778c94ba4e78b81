"""Sign-in, sign-out, password change, language, CSRF."""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from dialogue.enums import Language
from dialogue.views.auth import WORKSPACE_SESSION_SECONDS
from tests import factories as f
from tests.support.auth import PASSWORD, signed_in


@pytest.mark.django_db
def test_the_sign_in_page_is_japanese_by_default_with_a_skip_link(client):
    page = client.get(reverse("workspace:login")).content.decode()
    assert '<html lang="ja">' in page
    assert "サインイン" in page
    assert 'href="#main"' in page


@pytest.mark.django_db
def test_signing_in_starts_a_new_session_of_a_working_day(client, semi_official):
    client.get(reverse("workspace:login"))
    client.session.save()
    before = client.session.session_key
    response = client.post(
        reverse("workspace:login"), {"username": semi_official.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:dashboard")
    session = client.session
    assert session.session_key != before
    assert int(session[SESSION_KEY]) == semi_official.pk
    assert session.get_expiry_age() == WORKSPACE_SESSION_SECONDS


@pytest.mark.django_db
def test_sign_in_follows_next_but_never_off_site(client, semi_official):
    credentials = {"username": semi_official.username, "password": PASSWORD}
    url = reverse("workspace:login")
    response = client.post(f"{url}?next=/threats/", credentials)
    assert response["Location"] == "/threats/"
    client.logout()
    response = client.post(f"{url}?next=https://evil.example/", credentials)
    assert response["Location"] == reverse("workspace:dashboard")


@pytest.mark.django_db
def test_wrong_password_is_refused_in_japanese(client, semi_official):
    response = client.post(
        reverse("workspace:login"), {"username": semi_official.username, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "正しいユーザー名とパスワードを入力してください" in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_the_users_stored_language_applies_at_sign_in(client, semiconductors):
    official = f.OfficialFactory(sectors=[semiconductors], language=Language.EN)
    response = client.post(
        reverse("workspace:login"), {"username": official.username, "password": PASSWORD}
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("workspace:dashboard")).content.decode()
    assert '<html lang="en">' in page
    assert "My open actions" in page


@pytest.mark.django_db
def test_the_language_switch_changes_the_interface(as_semi):
    page = as_semi.get(reverse("workspace:threat-list")).content.decode()
    assert "脅威登録簿" in page
    assert f'action="{reverse("set_language")}"' in page
    response = as_semi.post(
        reverse("set_language"), {"language": "en", "next": reverse("workspace:threat-list")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:threat-list")
    page = as_semi.get(reverse("workspace:threat-list")).content.decode()
    assert '<html lang="en">' in page
    assert "Threat register" in page


@pytest.mark.django_db
def test_sign_out_is_post_only(as_semi):
    assert as_semi.get(reverse("workspace:logout")).status_code == 405
    response = as_semi.post(reverse("workspace:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:login")
    assert as_semi.get(reverse("workspace:dashboard")).status_code == 302


@pytest.mark.django_db
def test_password_change_checks_the_old_password_and_keeps_the_session(semi_official):
    client = signed_in(semi_official)
    url = reverse("workspace:password-change")
    wrong = client.post(
        url,
        {
            "old_password": "not-it",
            "new_password1": "a-much-Better-passphrase-2026",
            "new_password2": "a-much-Better-passphrase-2026",
        },
    )
    assert wrong.status_code == 200
    assert "元のパスワードが間違っています" in wrong.content.decode()
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-Better-passphrase-2026",
            "new_password2": "a-much-Better-passphrase-2026",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("workspace:dashboard")).status_code == 200
    semi_official.refresh_from_db()
    assert semi_official.check_password("a-much-Better-passphrase-2026")


@pytest.mark.django_db
def test_csrf_is_enforced_on_sign_in_and_on_register_forms(semi_official, semiconductors, code):
    client = Client(enforce_csrf_checks=True)
    url = reverse("workspace:login")
    response = client.post(url, {"username": semi_official.username, "password": PASSWORD})
    assert response.status_code == 403

    client.force_login(semi_official)
    data = {
        "title": "CSRF なしの脅威",
        "sector": semiconductors.pk,
        "category": "1-2",
        "likelihood": 3,
        "impact": 3,
        "marking": "AMBER",
    }
    create = reverse("workspace:threat-create")
    assert client.post(create, data).status_code == 403
    assert client.post(reverse("workspace:logout")).status_code == 403

    # With the token from the form, the same post goes through.
    client.get(create)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(create, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
