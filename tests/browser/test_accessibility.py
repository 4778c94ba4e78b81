"""axe-core on every page type of the workspace, the portal and the admin, in Japanese and
English: no serious and no critical violation. And the same pages at desktop and phone
widths: nothing wider than the window (no sideways scrolling).

The pages are those of the access world (tests/support/worlds/access.py) that answer a
reader with an HTML page: every workspace page as the sector official (the plan pages
as the secretariat, who may start and publish them), every portal page as company A's
portal administrator, the sign-in pages signed out, and the admin's index, a list, a
change form and its sign-in page as a superuser. Each is opened in Chromium and scanned
with the axe-core that axe-playwright-python bundles.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client, override_settings

from dialogue.enums import Role
from tests import factories as f
from tests.support.pages import page_url
from tests.support.routes import page_routes
from tests.support.worlds.access import build_sweep_world

BLOCKING = ("serious", "critical")
# Pages that answer a file or a feed, not a page a person reads.
NOT_PAGES = (
    "workspace:calendar-feed",
    "workspace:dependency-map-svg",
    "workspace:dependency-chart-svg",
    "plans:plan-export",
    "plans:list-export",
    "plans:export-job-download",
    "portal:attachment-download",
    "portal:invitation-link",
    "workspace:logout",
    "portal:logout",
)
ADMIN_PAGES = ("/admin/", "/admin/dialogue/threat/", "/admin/dialogue/sector/1/change/")


def reader_of(name: str) -> str:
    if name.startswith(("plans:", "workspace:support-")):
        return "secretariat"  # who starts plan revisions and keeps the support catalogue
    if name.startswith("portal:"):
        return "company_a_admin"
    return "sector_official"


@pytest.fixture
def scanned(transactional_db, tmp_path):
    """The access world, and the HTML pages it shows each reader (status 200, text/html)."""
    with override_settings(MEDIA_ROOT=tmp_path):
        # Committed (the live server reads it from another thread), in one transaction as
        # the factories' row locks need on PostgreSQL.
        with transaction.atomic():
            world = build_sweep_world()
            world["users"]["superuser"] = f.UserFactory(
                username="a11y-admin", role=Role.ADMIN, is_staff=True, is_superuser=True
            )
        clients: dict[str, Client] = {}
        pages: list[tuple[str, str, str]] = []
        for name in sorted(page_routes()):
            if name in NOT_PAGES or not name.startswith(("workspace:", "portal:", "plans:")):
                continue
            role = reader_of(name)
            if name.endswith(("login", "password-reset", "password-reset-done")):
                role = "anonymous"
            url = page_url(name, world, role)
            if role not in clients:
                clients[role] = Client()
                if role != "anonymous":
                    clients[role].force_login(world["users"][role])
            response = clients[role].get(url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                pages.append((name, role, url))
        pages += [(path, "superuser", path) for path in ADMIN_PAGES]
        pages.append(("admin:login", "anonymous", "/admin/login/"))
        yield world, pages


def sign_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize("language", ["ja", "en"])
def test_no_serious_or_critical_violation_on_any_page_type(
    live_server, browser, scanned, language, settings, tmp_path
):
    from axe_playwright_python.sync_playwright import Axe

    settings.MEDIA_ROOT = tmp_path
    world, pages = scanned
    assert len(pages) > 60, f"only {len(pages)} pages to scan: the world has changed"
    axe = Axe()
    tab_for = open_pages(browser, live_server, world, language, {"width": 1366, "height": 900})
    found: list[str] = []
    for name, role, url in pages:
        page = tab_for(role)
        page.goto(live_server.url + url)
        assert page.locator("html").get_attribute("lang") == language, url
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in BLOCKING:
                targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
                found.append(
                    f"{name} ({role}, {url}): {violation['impact']} {violation['id']}: "
                    f"{violation['help']} — {targets}"
                )
    assert not found, f"{len(found)} serious or critical violations:\n" + "\n".join(found)


def open_pages(browser, live_server, world, language: str, viewport: dict):
    """A browser tab per reader, in `language`, at `viewport`."""
    tabs = {}

    def tab_for(role: str):
        if role not in tabs:
            context = browser.new_context(viewport=viewport, timezone_id="Asia/Tokyo")
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            if role != "anonymous":
                sign_in(context, live_server, world["users"][role])
            tabs[role] = context.new_page()
        return tabs[role]

    return tab_for


# The outermost elements reaching past the window, leaving out what sits in a box of its
# own that scrolls or clips (a wide table in its scroll box is fine).
WIDEST = """() => {
    const limit = document.documentElement.clientWidth;
    const clipped = (node) => {
        for (let up = node.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== "visible") return true;
        }
        return false;
    };
    const wide = [...document.querySelectorAll("body *")].filter(
        (node) => node.getBoundingClientRect().right > limit + 1 && !clipped(node)
    );
    const outermost = wide.filter((node) => !wide.includes(node.parentElement));
    return outermost.slice(0, 3).map((node) => node.tagName.toLowerCase() +
        (node.id ? "#" + node.id : "") +
        (node.className ? "." + String(node.className).trim().split(/\\s+/).join(".") : ""));
}"""

# Desktop widths officials work at, and a phone's.
WIDTHS = [("ja", 1440), ("ja", 1280), ("ja", 390), ("en", 390)]


@pytest.mark.parametrize(("language", "width"), WIDTHS)
def test_no_page_is_wider_than_the_window(live_server, browser, scanned, language, width):
    world, pages = scanned
    tab_for = open_pages(browser, live_server, world, language, {"width": width, "height": 900})
    too_wide = []
    for name, role, url in pages:
        if name.startswith(("/admin/", "admin:")):
            continue  # Django's own layout
        page = tab_for(role)
        page.goto(live_server.url + url)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            widest = page.evaluate(WIDEST)
            too_wide.append(f"{name} ({url}): {overflow} px wider, e.g. {widest}")
    assert not too_wide, f"at {width} px ({language}):\n" + "\n".join(too_wide)
