"""A sector official's walk through the workspace in a real browser."""

import re

import pytest
from django.core.management import call_command

from dialogue.enums import Marking
from dialogue.models import Sector, ThreatCategory
from tests import factories as f
from tests.support.auth import PASSWORD


@pytest.fixture
def workspace_data(transactional_db):
    import io

    call_command("load_reference_data", stdout=io.StringIO())
    semiconductors = Sector.objects.get(code="semiconductors")
    batteries = Sector.objects.get(code="batteries")
    code = {c.code: c for c in ThreatCategory.objects.all()}
    official = f.OfficialFactory(
        username="semicon_official",
        last_name="半田",
        first_name="一郎",
        sectors=[semiconductors],
    )
    creator = f.SecretariatFactory(username="secretariat", last_name="経済", first_name="花子")
    f.ThreatFactory(
        title="退職技術者を通じたフォトレジスト製造ノウハウの流出",
        description="退職した技術者が海外の競合企業に転職し、製造条件が流出するおそれがある。",
        sector=semiconductors,
        category=code["1-2"],
        likelihood=4,
        impact=5,
        created_by=creator,
    )
    f.ThreatFactory(
        title="元技術者への海外企業からの接触",
        sector=semiconductors,
        category=code["1-2"],
        likelihood=3,
        impact=4,
        created_by=creator,
    )
    f.ThreatFactory(
        title="高純度材料の特定国依存による供給途絶",
        sector=semiconductors,
        category=code["2-1"],
        created_by=creator,
    )
    f.ThreatFactory(
        title="黒鉛の輸出管理強化",
        sector=batteries,
        category=code["2-2"],
        marking=Marking.GREEN,
        created_by=creator,
    )
    f.FollowUpActionFactory(
        title="退職時手続きのベストプラクティスを共有する", sector=semiconductors, owner=official
    )
    f.DialogueSessionFactory(
        title="半導体分野 産業対話（第2回）", sectors=[semiconductors], created_by=creator
    )
    return official


def test_official_walks_from_the_heat_map_to_a_threat_and_switches_language(
    live_server, workspace_data, page, screenshot
):
    # Sign in.
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "ja"
    page.get_by_label("ユーザー名").fill("semicon_official")
    page.get_by_label("パスワード").fill(PASSWORD)
    screenshot("01-sign-in")
    page.locator("form.form button[type=submit]").click()

    # The dashboard with the heat map.
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="ダッシュボード", level=1).is_visible()
    assert "半田 一郎" in page.locator(".account__who").inner_text()
    heat_map = page.locator("table.heatmap")
    heat_map.scroll_into_view_if_needed()
    assert heat_map.is_visible()
    cell = heat_map.locator('a[href="/threats/?sector=semiconductors&category=1-2"]')
    assert cell.inner_text() == "2"
    screenshot("02-dashboard")

    # The register, filtered from the cell.
    cell.click()
    page.wait_for_url(re.compile(r"/threats/\?sector=semiconductors&category=1-2$"))
    assert page.get_by_role("heading", name="脅威登録簿").is_visible()
    rows = page.locator("table.table tbody tr")
    assert rows.count() == 2
    assert page.locator("#id_sector").input_value() == "semiconductors"
    assert page.locator("#id_category").input_value() == "1-2"
    screenshot("03-threat-register-filtered")

    # A threat's detail page.
    page.get_by_role("link", name="退職技術者を通じたフォトレジスト製造ノウハウの流出").click()
    page.wait_for_url(re.compile(r"/threats/\d+/$"))
    assert page.get_by_role("heading", name="変更履歴").is_visible()
    assert page.get_by_text("1-2 人（退職者・OB）").is_visible()
    screenshot("04-threat-detail-ja")

    # Switch to English: the same page, English labels.
    detail_url = page.url
    page.get_by_role("button", name="English").click()
    page.wait_for_url(detail_url)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Change history").is_visible()
    assert page.get_by_role("link", name="Threat register").first.is_visible()
    assert page.get_by_text("1-2 people: retirees and former employees").is_visible()
    screenshot("05-threat-detail-en")

    # The dashboard on a phone-sized screen, still in English.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Dashboard", level=1).is_visible()
    screenshot("06-dashboard-phone-en")
