"""Pages work in a real browser under the Content-Security-Policy, and the browser
reports no violation: the API documentation (Swagger UI), the admin, the calendar
page's copy-ready address and the company portal."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from dialogue.enums import Role
from dialogue.models import Sector
from tests import factories as f
from tests.support.auth import PASSWORD


@pytest.fixture
def people(transactional_db):
    call_command("load_reference_data", stdout=io.StringIO())
    semiconductors = Sector.objects.get(code="semiconductors")
    return {
        "official": f.OfficialFactory(username="semi_official", sectors=[semiconductors]),
        "company": f.CompanyUserFactory(
            username="company_a", organization=f.OrganizationFactory(sectors=[semiconductors])
        ),
        "admin": f.UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
    }


@pytest.fixture
def violations(page):
    """Every Content-Security-Policy violation the browser reports on the page."""
    reported: list[str] = []
    page.on(
        "console",
        lambda message: (
            reported.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return reported


def sign_in(page, url: str, username: str) -> None:
    page.goto(url)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form [type=submit]:not(.lang-switch__button)")


def test_the_api_documentation_renders_its_operations(live_server, people, page, violations):
    page.goto(f"{live_server.url}/api/docs/")

    page.wait_for_selector(".opblock", timeout=30_000)
    assert page.locator(".opblock").count() > 10
    assert page.locator(".opblock-summary-path", has_text="/api/v1/threats/").count() > 0
    assert violations == []


def test_the_admin_works(live_server, people, page, violations):
    sign_in(page, f"{live_server.url}/admin/login/", "admin")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/django_celery_beat/periodictask/add/")

    # The periodic-task form's own script runs: it hides the crontab-in-words row.
    assert page.locator(".field-crontab_translation").is_hidden()
    assert page.locator("#id_name").is_visible()
    assert violations == []


def test_the_calendar_address_is_selected_on_focus(live_server, people, page, violations):
    sign_in(page, f"{live_server.url}/accounts/login/", "semi_official")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/calendar/")

    field = page.locator("input[data-select-on-focus]")
    field.focus()

    selected = page.evaluate(
        "() => window.getSelection().toString() || document.activeElement.value.substring(document.activeElement.selectionStart, document.activeElement.selectionEnd)"
    )
    assert "calendar.ics?token=" in selected
    assert violations == []


def test_the_portal_pages_are_styled_without_inline_styles(live_server, people, page, violations):
    sign_in(page, f"{live_server.url}/portal/login/", "company_a")
    page.wait_for_url(f"{live_server.url}/portal/")
    page.goto(f"{live_server.url}/portal/concerns/new/")

    # portal.css applies: the threat-code list is a scrolling box, its fieldset borderless.
    code_list = page.locator(".code-list")
    assert code_list.evaluate("element => getComputedStyle(element).overflowY") == "auto"
    fieldset = page.locator("fieldset.field--group")
    assert fieldset.evaluate("element => getComputedStyle(element).borderTopStyle") == "none"
    assert violations == []
