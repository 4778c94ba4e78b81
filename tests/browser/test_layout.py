"""The lists and records people use daily, at a phone's width (390 px) and at the desktop
widths officials use (1280 and 1440 px), in Chromium: no page scrolls sideways, and no
date, number or badge is broken over two lines; on a phone the lists are cards."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.support.worlds.access import build_sweep_world

WIDTHS = (390, 1280, 1440)

# An inline element broken over lines has more than one box: dates, numbers and badges
# must have one. Returns what is broken, and how far the page is wider than the window.
MEASURE = """() => {
  const broken = [];
  for (const el of document.querySelectorAll(
      "main time, main .num, main .badge, main .tlp, main .severity")) {
    if (el.offsetParent !== null && el.getClientRects().length > 1) {
      broken.push(el.tagName + "." + el.className + ": " + el.textContent.trim());
    }
  }
  return {overflow: document.documentElement.scrollWidth - window.innerWidth, broken};
}"""


@pytest.fixture
def world(transactional_db, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield build_sweep_world()


def pages(world: dict) -> dict[str, list[str]]:
    return {
        "secretariat": [
            reverse("workspace:dashboard"),
            reverse("workspace:threat-list"),
            reverse("workspace:action-list"),
            reverse("workspace:concern-list") + "?scope=",
            reverse("workspace:concern-detail", args=[world["concern_a"].pk]),
            reverse("workspace:session-detail", args=[world["session_a"].pk]),
            reverse("plans:plan-detail", args=[world["draft"].pk]),
        ],
        "company_a_admin": [
            reverse("portal:home"),
            reverse("portal:concern-detail", args=[world["concern_a"].reference]),
        ],
    }


def signed_in_context(browser, live_server, user, width: int):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


@pytest.mark.parametrize("width", WIDTHS)
def test_no_sideways_scroll_and_nothing_broken_mid_token(live_server, world, browser, width):
    problems = []
    for role, urls in pages(world).items():
        context = signed_in_context(browser, live_server, world["users"][role], width)
        page = context.new_page()
        for url in urls:
            page.goto(f"{live_server.url}{url}")
            measured = page.evaluate(MEASURE)
            if measured["overflow"] > 0:
                problems.append(f"{width}px {url}: {measured['overflow']}px wider than the window")
            problems += [f"{width}px {url}: broken {text}" for text in measured["broken"]]
        context.close()
    assert problems == [], "\n".join(problems)


def test_on_a_phone_the_lists_are_cards(live_server, world, browser):
    context = signed_in_context(browser, live_server, world["users"]["secretariat"], 390)
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('workspace:threat-list')}")
    first = page.locator("table.table--cards tbody tr").first
    # A card: the row is a block, and each cell names its column.
    assert first.evaluate("row => getComputedStyle(row).display") == "block"
    sector = first.locator("td[data-label]").first
    label = sector.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label.strip('"') == sector.get_attribute("data-label")
    context.close()
