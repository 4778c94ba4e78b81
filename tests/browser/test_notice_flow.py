"""The last step of DOMAIN.md flow 6 in a real browser, in Japanese and in English: the
batteries official writes a notice about the graphite export control, confirms and
publishes it; it reaches every battery company's portal (with the unread badge), the
company's user opens it and it is shown as read; the official's reach view counts it.
Screenshots go to test-artifacts/notice-*.png."""

import io
import re

import pytest
from django.core.management import call_command

from dialogue.enums import SizeClass
from dialogue.models import ForeignMeasure, Notice, Sector, User
from tests import factories as f
from tests.support.auth import PASSWORD

TEXT = {
    "ja": {
        "title": "黒鉛関連品目の輸出管理に関する周知",
        "publish": "公開…",
        "confirm": "公開する",
        "read": "既読",
        "reach": "2 組織のうち 1 組織",
        "heading": "概要",
    },
    "en": {
        "title": "Notice on the export control of graphite-related items",
        "publish": "Publish…",
        "confirm": "Publish",
        "read": "Read on",
        "reach": "1 of 2 organizations",
        "heading": "Summary",
    },
}


@pytest.fixture
def battery_world(transactional_db):
    call_command("load_reference_data", stdout=io.StringIO())
    batteries = Sector.objects.get(code="batteries")
    semiconductors = Sector.objects.get(code="semiconductors")
    big = f.OrganizationFactory(name="大和蓄電池", sectors=[batteries], size_class=SizeClass.LARGE)
    small = f.OrganizationFactory(
        name="みなと電極材", sectors=[batteries], size_class=SizeClass.SME
    )
    chips = f.OrganizationFactory(name="ひかり半導体", sectors=[semiconductors])
    return {
        "batteries": batteries,
        "graphite": ForeignMeasure.objects.get(reference_key="cn-export-control-graphite"),
        "official": f.OfficialFactory(username="batt_official", sectors=[batteries]),
        "big": f.CompanyUserFactory(username="big_user", organization=big),
        "small": f.CompanyUserFactory(username="small_user", organization=small),
        "chips": f.CompanyUserFactory(username="chips_user", organization=chips),
    }


def signed_in_page(browser, base: str, language: str, username: str, *, portal: bool):
    context = browser.new_context(
        viewport={"width": 1366, "height": 900},
        locale="ja-JP" if language == "ja" else "en-GB",
        timezone_id="Asia/Tokyo",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}{'/portal/login/' if portal else '/accounts/login/'}")
    assert page.locator("html").get_attribute("lang") == language
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/portal/$" if portal else r"/$"))
    return page


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_graphite_notice_reaches_every_battery_company_and_is_read(
    live_server, battery_world, browser, language
):
    text, base = TEXT[language], live_server.url
    # Everyone's chosen language: signing in switches the pages to it.
    User.objects.update(language=language)
    shots = []

    def shot(page, name):
        from tests.browser.conftest import ARTIFACTS

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"notice-{language}-{name}.png"), full_page=True)
        shots.append(name)

    # The batteries official writes the notice, linking the graphite measure.
    official = signed_in_page(browser, base, language, "batt_official", portal=False)
    official.goto(f"{base}/notices/new/")
    official.locator("#id_kind").select_option("measure_alert")
    official.locator("#id_title_ja").fill(TEXT["ja"]["title"])
    official.locator("#id_title_en").fill(TEXT["en"]["title"])
    official.locator("#id_body_ja").fill(
        "## 概要\n中国が黒鉛関連品目を**輸出管理**の対象としました。"
    )
    official.locator("#id_body_en").fill(
        "## Summary\nChina placed graphite items under **export control**."
    )
    official.locator(f"input[name=sectors][value='{battery_world['batteries'].pk}']").check()
    official.locator(
        f"input[name=foreign_measures][value='{battery_world['graphite'].pk}']"
    ).check()
    shot(official, "01-form")
    official.locator("form.form button[type=submit]").click()
    official.wait_for_url(re.compile(r"/notices/\d+/$"))
    notice = Notice.objects.get()

    # It is published after a confirmation page that says whom it reaches.
    official.get_by_role("link", name=text["publish"]).click()
    official.wait_for_url(re.compile(r"/notices/\d+/publish/$"))
    assert "2" in official.locator(".card p").nth(1).inner_text()
    shot(official, "02-confirm")
    official.get_by_role("button", name=text["confirm"], exact=True).click()
    official.wait_for_url(re.compile(r"/notices/\d+/$"))
    notice.refresh_from_db()
    assert notice.status == "published"

    # Every battery company's user finds it, unread, behind the badge; others do not.
    for username in ("big_user", "small_user"):
        company = signed_in_page(browser, base, language, username, portal=True)
        assert company.locator("[data-testid=unread-notices]").inner_text().strip().endswith("1")
        company.locator("nav.site-nav a[href='/portal/notices/']").click()
        company.wait_for_url(re.compile(r"/portal/notices/$"))
        item = company.locator(f"#notices li[data-notice='{notice.pk}']")
        assert text["title"] in item.inner_text()
        if username == "big_user":
            shot(company, "03-portal-list")
            # The company's user opens it: the text (Markdown rendered) and the receipt.
            item.get_by_role("link", name=text["title"]).click()
            company.wait_for_url(re.compile(rf"/portal/notices/{notice.pk}/$"))
            assert company.locator(".prose h2").inner_text() == text["heading"]
            assert text["read"] in company.locator("#read-receipt").inner_text()
            assert company.locator("[data-testid=unread-notices]").count() == 0
            shot(company, "04-portal-detail")
            company.goto(f"{base}/portal/notices/")
            assert (
                text["read"].split()[0]
                in company.locator(f"#notices li[data-notice='{notice.pk}']").inner_text()
            )
        company.context.close()
    chips = signed_in_page(browser, base, language, "chips_user", portal=True)
    chips.goto(f"{base}/portal/notices/")
    assert chips.locator("#notices").count() == 0
    chips.context.close()

    # The official sees the reach: one of the two battery companies has read it.
    official.goto(f"{base}/notices/{notice.pk}/reach/")
    assert text["reach"] in official.locator("#reach-summary").inner_text()
    shot(official, "05-reach")
    official.context.close()
