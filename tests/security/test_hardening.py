"""Production hardening: the deployment check, the Content-Security-Policy and the pages
it must not break, cookies and HSTS, a new session at sign-in, generic error pages."""

from __future__ import annotations

import os
import re
import runpy
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from dialogue.enums import Role
from tests import factories as f
from tests.security.error_urls import SECRET_DETAIL
from tests.support.auth import PASSWORD, signed_in

ROOT = Path(__file__).resolve().parents[2]

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# <script> elements that hold data, not code: the browser never runs them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
EVENT_HANDLER = re.compile(r"^on[a-z]+$")


# --- helpers ------------------------------------------------------------------------------


class InlineCode(HTMLParser):
    """What a page carries that the policy would block: inline scripts, on*= handlers,
    javascript: links, inline styles; and where its scripts and stylesheets come from."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inline_scripts: list[str] = []
        self.handlers: list[str] = []
        self.javascript_urls: list[str] = []
        self.style_attributes: list[str] = []
        self.style_elements: list[str] = []
        self.sources: list[str] = []
        self._script_at: str | None = None
        self._script_text: list[str] = []

    def _where(self, tag: str) -> str:
        line, column = self.getpos()
        return f"<{tag}> at {line}:{column}"

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if EVENT_HANDLER.match(name):
                self.handlers.append(f"{self._where(tag)} {name}={value!r}")
            if name == "style":
                self.style_attributes.append(f"{self._where(tag)} style={value!r}")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.javascript_urls.append(f"{self._where(tag)} {name}={value!r}")
        if tag == "script":
            if attributes.get("src"):
                self.sources.append(attributes["src"])
            elif (attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
                self._script_at = self._where(tag)
                self._script_text = []
        elif tag == "style":
            self.style_elements.append(self._where(tag))
        elif tag == "link" and "stylesheet" in (attributes.get("rel") or "").split():
            self.sources.append(attributes.get("href") or "")

    def handle_data(self, data):
        if self._script_at is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script_at is not None:
            self.inline_scripts.append(f"{self._script_at}: {''.join(self._script_text)[:80]!r}")
            self._script_at = None


def inline_code(html: str) -> InlineCode:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        if part.strip():
            name, *values = part.split()
            directives[name] = values
    return directives


def assert_safe_under_the_policy(response) -> None:
    assert policy_of(response) == POLICY
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    page = inline_code(response.content.decode())
    assert page.inline_scripts == [], "inline scripts would not run"
    assert page.handlers == [], "inline event handlers would not run"
    assert page.javascript_urls == [], "javascript: links would not run"
    assert page.style_attributes == [], "inline style attributes would not apply"
    assert page.style_elements == [], "inline <style> elements would not apply"
    # 'self' only: every script and stylesheet comes from this site.
    off_site = [src for src in page.sources if not src.startswith("/") or src.startswith("//")]
    assert off_site == []


def csrf_token_in(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, "the form has no CSRF token"
    return match.group(1)


def production_settings(monkeypatch, **environment) -> dict:
    """The values config/settings/production.py computes for this environment."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    monkeypatch.setenv("DATABASE_URL", os.environ.get("DATABASE_URL", "sqlite:///unused.sqlite3"))
    for name in list(os.environ):
        if name.startswith("DJANGO_SECURE_"):
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_module("config.settings.production")


def run_deploy_check(tmp_path, **environment) -> subprocess.CompletedProcess:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "PYTEST_")) or name == "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="dialogue.example.jp",
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'check.sqlite3'}",
        **environment,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- people -------------------------------------------------------------------------------


@pytest.fixture
def official(semiconductors):
    return f.OfficialFactory(username="semi_official", sectors=[semiconductors])


@pytest.fixture
def company_user(semiconductors):
    organization = f.OrganizationFactory(sectors=[semiconductors])
    return f.CompanyUserFactory(username="company_a", organization=organization)


@pytest.fixture
def administrator(db):
    return f.UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def clients(official, company_user, administrator):
    return {
        "anonymous": Client(),
        "official": signed_in(official),
        "company": signed_in(company_user),
        "administrator": signed_in(administrator),
    }


# --- the deployment check -----------------------------------------------------------------


def test_the_production_deployment_check_is_clean(tmp_path):
    result = run_deploy_check(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deployment_check_fails_when_hsts_is_switched_off(tmp_path):
    # The check above is not vacuous: weakening the production settings fails it.
    result = run_deploy_check(tmp_path, DJANGO_SECURE_HSTS_SECONDS="0")

    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


# --- Content-Security-Policy --------------------------------------------------------------

PAGES = [
    ("anonymous", "workspace:login"),
    ("official", "workspace:dashboard"),
    ("official", "workspace:calendar"),
    ("official", "workspace:session-create"),
    ("official", "workspace:threat-list"),
    ("anonymous", "portal:login"),
    ("anonymous", "portal:password-reset"),
    ("company", "portal:home"),
    ("company", "portal:concern-list"),
    ("company", "portal:concern-create"),
    ("anonymous", "admin:login"),
    ("administrator", "admin:index"),
    ("administrator", "admin:dialogue_threat_changelist"),
    ("administrator", "admin:django_celery_beat_periodictask_add"),
    ("anonymous", "api-docs"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "url_name"), PAGES)
def test_every_kind_of_page_runs_under_the_policy(clients, who, url_name):
    response = clients[who].get(reverse(url_name))

    assert response.status_code == 200
    assert_safe_under_the_policy(response)


@pytest.mark.django_db
def test_the_api_documentation_loads_its_start_up_script_as_a_file(clients):
    page = clients["anonymous"].get(reverse("api-docs"))
    sources = inline_code(page.content.decode()).sources
    start_up = [src for src in sources if src.startswith(reverse("api-docs"))]

    assert len(start_up) == 1 and "script" in start_up[0]
    script = clients["anonymous"].get(start_up[0])
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    body = script.content.decode()
    assert "SwaggerUIBundle(" in body
    assert reverse("api-schema") in body
    assert '"validatorUrl": null' in body  # no image from a validator elsewhere
    # "Try it out" with a session: the token is written into the script, so no script
    # needs to read the (HttpOnly) CSRF cookie.
    assert '"X-CSRFTOKEN"' in body
    assert re.search(r'"X-CSRFTOKEN"\] = "[A-Za-z0-9]{32,}"', body)


@pytest.mark.django_db
def test_error_pages_run_under_the_policy(clients, settings):
    settings.ROOT_URLCONF = "tests.security.error_urls"
    not_found = clients["official"].get("/no-such-page/")
    forbidden_form = Client(enforce_csrf_checks=True).post(reverse("workspace:login"), {})
    server_error = Client(raise_request_exception=False).get("/broken/")

    assert not_found.status_code == 404
    assert forbidden_form.status_code == 403
    assert server_error.status_code == 500
    for response in (not_found, forbidden_form, server_error):
        assert_safe_under_the_policy(response)


@pytest.mark.django_db
def test_a_downloaded_attachment_keeps_its_own_stricter_policy(company_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    concern = f.ConcernFactory(organization=company_user.organization, submitted_by=company_user)
    attachment = f.ConcernAttachmentFactory(concern=concern)

    response = signed_in(company_user).get(
        reverse("portal:attachment-download", args=[attachment.pk])
    )

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


# --- headers and cookies ------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_refuse_framing_and_keep_addresses_to_this_site(clients):
    response = clients["anonymous"].get(reverse("portal:login"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_production_cookies_are_secure_http_only_and_same_site(monkeypatch, settings, company_user):
    production = production_settings(monkeypatch)
    for name in (
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SAMESITE",
        "LANGUAGE_COOKIE_SECURE",
        "LANGUAGE_COOKIE_HTTPONLY",
        "LANGUAGE_COOKIE_SAMESITE",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
    ):
        setattr(settings, name, production[name])
    client = Client(enforce_csrf_checks=True)
    login = reverse("portal:login")

    plain_http = client.get(login)
    form = client.get(login, secure=True)
    signed_in_response = client.post(
        login,
        {
            "username": company_user.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf_token_in(form),
        },
        secure=True,
        headers={"Origin": "https://testserver"},  # as a browser sends it over HTTPS
    )

    assert plain_http.status_code == 301
    assert plain_http["Location"].startswith("https://")
    assert form["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert signed_in_response.status_code == 302
    for cookie_name in (
        django_settings.SESSION_COOKIE_NAME,
        django_settings.CSRF_COOKIE_NAME,
        django_settings.LANGUAGE_COOKIE_NAME,
    ):
        cookie = client.cookies[cookie_name]
        assert cookie["secure"] is True, cookie_name
        assert cookie["httponly"] is True, cookie_name
        assert cookie["samesite"] == "Lax", cookie_name


def test_hsts_follows_the_environment(monkeypatch):
    defaults = production_settings(monkeypatch)
    changed = production_settings(
        monkeypatch,
        DJANGO_SECURE_HSTS_SECONDS="600",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        DJANGO_SECURE_HSTS_PRELOAD="true",
    )

    assert (defaults["SECURE_HSTS_SECONDS"], defaults["SECURE_HSTS_INCLUDE_SUBDOMAINS"]) == (
        31536000,
        True,
    )
    assert defaults["SECURE_HSTS_PRELOAD"] is False
    assert "security.W021" in defaults["SILENCED_SYSTEM_CHECKS"]
    assert changed["SECURE_HSTS_SECONDS"] == 600
    assert changed["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert changed["SECURE_HSTS_PRELOAD"] is True
    # Once preloading is asked for, the deployment check watches it again.
    assert "security.W021" not in changed["SILENCED_SYSTEM_CHECKS"]


# --- a new session at sign-in -------------------------------------------------------------


def session_store():
    return import_module(django_settings.SESSION_ENGINE).SessionStore


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("login_url", "home_url", "person"),
    [
        ("workspace:login", "workspace:dashboard", "official"),
        ("portal:login", "portal:home", "company_user"),
    ],
)
def test_signing_in_gives_a_new_session_key(request, login_url, home_url, person):
    user = request.getfixturevalue(person)
    client = Client(enforce_csrf_checks=True)
    # A session that exists before sign-in, as one planted by an attacker would.
    planted = client.session
    planted["before_sign_in"] = True
    planted.save()
    planted_key = planted.session_key
    form = client.get(reverse(login_url))

    response = client.post(
        reverse(login_url),
        {
            "username": user.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf_token_in(form),
        },
    )

    assert response.status_code == 302
    new_key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert new_key != planted_key
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not session_store()().exists(planted_key)
    # Whoever kept the old key is not signed in.
    attacker = Client()
    attacker.cookies[django_settings.SESSION_COOKIE_NAME] = planted_key
    assert attacker.get(reverse(home_url)).status_code == 302


# --- generic error pages ------------------------------------------------------------------


@pytest.mark.django_db
def test_an_exception_in_a_page_shows_the_generic_error_page(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.security.error_urls"

    response = Client(raise_request_exception=False).get("/broken/")

    assert response.status_code == 500
    body = response.content.decode()
    assert "エラーが発生しました" in body
    assert "Server error" in body
    for detail in (SECRET_DETAIL, "RuntimeError", "Traceback", "broken_page", str(ROOT)):
        assert detail not in body


@pytest.mark.django_db
def test_an_exception_in_the_api_answers_json_without_details(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.security.error_urls"

    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")

    response = client.get("/api/v1/broken/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "A server error occurred."}
    assert SECRET_DETAIL not in response.content.decode()


@pytest.mark.django_db
def test_an_expired_form_explains_without_the_technical_reason(official):
    client = signed_in(official, enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")

    response = client.post(reverse("workspace:logout"))

    assert response.status_code == 403
    body = response.content.decode()
    assert "The form has expired" in body
    for reason in ("CSRF cookie not set", "CSRF token missing", "CSRF token incorrect"):
        assert reason not in body


@pytest.mark.django_db
def test_a_page_that_does_not_exist_is_the_generic_not_found_page(official):
    response = signed_in(official, HTTP_ACCEPT_LANGUAGE="en").get("/threats/999999/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "No Threat matches" not in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_api_address_answers_json(official):
    response = signed_in(official).get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
