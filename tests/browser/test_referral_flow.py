"""Flow 6 of DOMAIN.md in a real browser: a battery-materials company's concern about the
graphite export control, linked to the measure by the battery official and referred to
JETRO and to the overseas supply-chain diversification scheme; the company consents in
the portal (Japanese), the official records that support started, and the company reads
it in English. Screenshots go to test-artifacts/referral-*.png.
"""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from dialogue.enums import ReferralStatus
from dialogue.models import Concern, ForeignMeasure, Sector, SupportScheme, ThreatCategory
from tests import factories as f
from tests.browser.conftest import ARTIFACTS
from tests.support.auth import PASSWORD

COMPANY = "黒鉛材料工業株式会社"
TITLE = "黒鉛の輸出規制による供給途絶の懸念"
SCHEME = "海外サプライチェーン多元化等支援事業"


@pytest.fixture
def flow_data(transactional_db):
    call_command("load_reference_data", stdout=io.StringIO())
    batteries = Sector.objects.get(code="batteries")
    organization = f.OrganizationFactory(name=COMPANY, sectors=[batteries], size_class="sme")
    return {
        "sector": batteries,
        "company_user": f.CompanyUserFactory(
            username="graphite_co", organization=organization, last_name="黒田"
        ),
        "official": f.OfficialFactory(
            username="battery_official", sectors=[batteries], last_name="電池"
        ),
    }


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _sign_in(page, url, username):
    page.goto(url)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()


def test_graphite_concern_is_referred_with_the_companys_consent(
    live_server, flow_data, browser, settings
):
    settings.SITE_URL = live_server.url
    contexts = [
        browser.new_context(viewport={"width": 1366, "height": 900}, locale="ja-JP")
        for _ in range(2)
    ]
    company, official = (context.new_page() for context in contexts)
    for page in (company, official):
        page.set_default_timeout(15_000)

    # The company reports the threat to its graphite supply (2-2, business continuity).
    _sign_in(company, f"{live_server.url}/portal/login/", "graphite_co")
    company.wait_for_url(re.compile(r"/portal/$"))
    company.goto(f"{live_server.url}/portal/concerns/new/")
    company.locator("#id_sector").select_option(str(flow_data["sector"].pk))
    code = ThreatCategory.objects.get(code="2-2")
    company.locator(f"#id_category_{code.pk}").locator("xpath=../..").locator("summary").click()
    company.locator(f"#id_category_{code.pk}").check()
    company.locator("#id_title").fill(TITLE)
    company.locator("#id_description").fill("負極材用の黒鉛の調達先が輸出管理の対象となりました。")
    company.locator("#id_desired_support").select_option("business_continuity")
    company.locator("form.form button[type=submit]").click()
    company.wait_for_url(re.compile(r"/portal/concerns/\d{4}-\d{4,}/$"))
    concern = Concern.objects.get()
    concern_url = company.url

    # The battery official sees the matching schemes, links the measure and proposes.
    _sign_in(official, f"{live_server.url}/accounts/login/", "battery_official")
    official.wait_for_url(f"{live_server.url}/")
    official.goto(f"{live_server.url}/concerns/{concern.pk}/")
    suggestions = official.locator("#scheme-suggestions").inner_text()
    assert SCHEME in suggestions and "貿易保険" in suggestions
    graphite = ForeignMeasure.objects.get(reference_key="cn-export-control-graphite")
    official.get_by_text("諸外国の規制・措置を関連付ける").click()
    official.locator(f"input[name=foreign_measures][value='{graphite.pk}']").check()
    official.get_by_role("button", name="諸外国の規制・措置を保存").click()
    official.wait_for_url(re.compile(rf"/concerns/{concern.pk}/#referrals$"))
    assert graphite.title_ja in official.locator("#referrals").locator("..").inner_text()

    scheme = SupportScheme.objects.get(name_ja=SCHEME)
    official.locator("#id_organizations").select_option(label="日本貿易振興機構（JETRO）")
    official.locator("#id_schemes").select_option(str(scheme.pk))
    official.locator("#id_note").fill("代替調達先の開拓と生産拠点の多元化をご支援いただけます。")
    official.get_by_role("button", name="紹介を提案する").click()
    official.wait_for_url(re.compile(rf"/concerns/{concern.pk}/#referrals$"))
    assert official.locator("#referral-1").is_visible() and official.locator("#referral-2")
    _shot(official, "referral-01-proposed")
    # The company was asked by e-mail, without the concern's content.
    [asked] = [m for m in mail.outbox if "graphite_co@" in m.to[0] and "同意" in m.subject]
    assert TITLE not in asked.body and COMPANY not in asked.body

    # The company reads the referrals and consents to each on the confirmation page.
    company.goto(concern_url)
    portal_referrals = company.locator("#referrals").locator("..").inner_text()
    assert "日本貿易振興機構" in portal_referrals and SCHEME in portal_referrals
    assert graphite.title_ja in portal_referrals
    for number in (1, 2):
        company.goto(concern_url)
        company.locator(f"#referral-{number}").get_by_role("link", name="同意または辞退").click()
        company.wait_for_url(re.compile(rf"/referrals/{number}/$"))
        _shot(company, f"referral-02-consent-{number}")
        company.get_by_role("button", name="紹介に同意する").click()
        company.wait_for_url(re.compile(r"#referrals$"))
        assert "同意を記録しました" in company.locator(".messages").inner_text()
    assert list(concern.referrals.values_list("status", "consented_by__username")) == [
        (ReferralStatus.CONSENTED, "graphite_co"),
        (ReferralStatus.CONSENTED, "graphite_co"),
    ]

    # The official records that support started under the scheme.
    official.goto(f"{live_server.url}/concerns/{concern.pk}/")
    official.locator("#id_r2-status").select_option("support_started")
    official.locator("#id_r2-note").fill("JETROによる伴走支援を開始")
    official.locator("#referral-2 + tr").get_by_role("button", name="記録").click()
    official.wait_for_url(re.compile(rf"/concerns/{concern.pk}/#referrals$"))
    assert "支援開始" in official.locator("#referral-2").inner_text()
    _shot(official, "referral-03-support-started")

    # The dashboard shows the other referral as waiting for an answer.
    official.goto(f"{live_server.url}/")
    waiting = official.locator("section", has=official.locator("#referrals-answer-title"))
    assert TITLE in waiting.inner_text()

    # The company reads it in English.
    company.goto(concern_url)
    company.locator("button.lang-switch__button[value=en]").click()
    company.wait_for_load_state()
    assert company.locator("html").get_attribute("lang") == "en"
    referral_text = company.locator("#referral-2").inner_text()
    assert "Support started" in referral_text and "Consent given by" in referral_text
    _shot(company, "referral-04-support-started-en")
