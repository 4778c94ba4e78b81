"""axe-core (bundled by axe-playwright-python, no download) on every page type of the
workspace, the portal and the admin, in Japanese and in English, in Chromium: no serious
and no critical violation.

Every named page of the workspace and the portal is opened in the access world
(worlds/access.py) as the role that uses it (officials' pages as the secretariat, the
portal as company A's administrator, sign-in and reset pages signed out); the admin by
its page types (index, app, list, change and add forms, history, password, sign-in).
Pages that answer a file, a redirect or "method not allowed" to a GET are not pages.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from dialogue.models import User
from tests.support.pages import page_url
from tests.support.routes import page_routes
from tests.support.worlds.access import build_sweep_world

LANGUAGES = ("ja", "en")
BLOCKING = ("serious", "critical")
ROLE_BY_NAMESPACE = {
    "workspace": "secretariat",
    "plans": "secretariat",
    "portal": "company_a_admin",
}


@pytest.fixture
def world(transactional_db, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield build_sweep_world()


def admin_pages(world: dict) -> list[str]:
    threat = world["threat_semi"]
    return [
        reverse("admin:index"),
        reverse("admin:app_list", kwargs={"app_label": "dialogue"}),
        reverse("admin:dialogue_threat_changelist"),
        reverse("admin:dialogue_threat_change", args=[threat.pk]),
        reverse("admin:dialogue_threat_add"),
        reverse("admin:dialogue_threat_history", args=[threat.pk]),
        reverse("admin:dialogue_user_changelist"),
        reverse("admin:password_change"),
    ]


def html_page(client: Client, url: str) -> bool:
    response = client.get(url)
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


def pages_to_scan(world: dict) -> dict[str, list[tuple[str, str]]]:
    """Role → (page type, URL) it opens; each page type once, as the role that uses it."""
    users = world["users"]
    clients = {role: Client() for role in ("anonymous", *ROLE_BY_NAMESPACE.values())}
    for role, client in clients.items():
        if role != "anonymous":
            client.force_login(users[role])
    scan: dict[str, list[tuple[str, str]]] = {role: [] for role in clients}
    for name in sorted(page_routes()):
        role = ROLE_BY_NAMESPACE.get(name.partition(":")[0], "anonymous")
        for who in dict.fromkeys((role, "anonymous")):
            url = page_url(name, world, who)
            if html_page(clients[who], url):
                scan[who].append((name, url))
                break
    scan["secretariat"] += [(url, url) for url in admin_pages(world)]
    scan["anonymous"].append(("admin:login", reverse("admin:login")))
    return scan


def violations(page, axe: Axe) -> list[str]:
    found = axe.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} — {v['help']}"
        for v in found
        if v["impact"] in BLOCKING
    ]


def test_no_page_type_has_a_serious_or_critical_axe_violation(live_server, world, browser):
    scan = pages_to_scan(world)
    scanned = sum(len(pages) for pages in scan.values())
    assert scanned >= 100, f"only {scanned} page types found: is the world complete?"
    axe = Axe()
    problems: list[str] = []
    for role, pages in scan.items():
        for language in LANGUAGES:
            context = browser.new_context(
                viewport={"width": 1366, "height": 900}, locale=f"{language}-JP"
            )
            cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language}]
            if role != "anonymous":
                client = Client()
                client.force_login(User.objects.get(pk=world["users"][role].pk))
                session = client.cookies[settings.SESSION_COOKIE_NAME].value
                cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session})
            context.add_cookies([{**c, "url": live_server.url} for c in cookies])
            page = context.new_page()
            for name, url in pages:
                page.goto(f"{live_server.url}{url}")
                assert page.locator("html").get_attribute("lang") == language, (name, url)
                problems += [f"{language} {role} {name}: {v}" for v in violations(page, axe)]
            context.close()
    print(f"axe {axe_version(axe)}: {scanned} page types × {len(LANGUAGES)} languages")
    assert problems == [], "\n".join(problems)


def axe_version(axe: Axe) -> str:
    return axe.axe_script.split("axe v", 1)[1].split()[0] if "axe v" in axe.axe_script else "?"
