"""The semiconductor official's dependency flow in a real browser: import five years of trade
statistics (dry run, then confirm), see China's share marked 特定国依存 on the map, open the
product's chart and download it as PNG and SVG, then link the figure to the
supply-disruption threat and two company concerns."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction

from dialogue.models import Dependency, Sector, ThreatCategory
from tests import factories as f
from tests.support.auth import PASSWORD

CHINA = {2019: 38, 2020: 44, 2021: 51, 2022: 57, 2023: 64}


def trade_statistics() -> bytes:
    lines = ["sector,product,hs_code,stage,country,year,value,source"]
    for product, hs in (("フォトレジスト原料", "2914.39"), ("高純度フッ化物", "2811.11")):
        for year, china in CHINA.items():
            for country, value in (("CN", china), ("KR", 90 - china), ("US", 10)):
                lines.append(
                    f"semiconductors,{product},{hs},upstream,{country},{year},{value * 1000},"
                    "財務省貿易統計"
                )
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def semiconductor_world(transactional_db):
    call_command("load_reference_data", stdout=io.StringIO())
    semiconductors = Sector.objects.get(code="semiconductors")
    official = f.OfficialFactory(username="semicon_official", sectors=[semiconductors])
    threat = f.ThreatFactory(
        title="高純度材料の原料の供給途絶",
        sector=semiconductors,
        category=ThreatCategory.objects.get(code="2-1"),
        created_by=official,
    )
    with transaction.atomic():  # a concern's reference number is drawn under a lock
        concerns = [
            f.ConcernFactory(sector=semiconductors, title=title)
            for title in ("フッ化物の調達先が一社に集中", "原料価格の急騰")
        ]
    return {"official": official, "threat": threat, "concerns": concerns}


def test_official_imports_sees_the_dependency_and_links_it(
    live_server, semiconductor_world, page, screenshot
):
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ユーザー名").fill("semicon_official")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    # Import: the dry run shows what would change, and nothing is saved yet.
    page.get_by_role("link", name="依存").first.click()
    page.get_by_role("link", name="ファイルから取り込む").first.click()
    page.set_input_files(
        "#id_file",
        files=[{"name": "trade.csv", "mimeType": "text/csv", "buffer": trade_statistics()}],
    )
    page.get_by_role("button", name="ファイルを確認する").click()
    page.wait_for_url(re.compile(r"/dependencies/import/\?token="))
    assert page.get_by_role(
        "heading", name="取り込みによる変更内容（まだ保存していません）"
    ).is_visible()
    assert (
        page.locator(
            "#import-plan ~ div table tbody tr, #import-plan + p + div table tbody tr"
        ).count()
        == 30
    )
    assert not Dependency.objects.filter(reference_key=None).exists()
    screenshot("dependency-01-dry-run")
    page.get_by_role("button", name="この内容で取り込む").click()

    # The map: China's share is past the threshold, with a red dot and a data table.
    page.wait_for_url(re.compile(r"/dependencies/map/$"))
    assert Dependency.objects.filter(reference_key=None).count() == 30
    assert page.locator("#dependency-map-chart svg[role=img]").is_visible()
    table = page.locator("#dependency-map-table")
    assert "中国" in table.locator("thead").inner_text()
    assert "64%" in table.inner_text() and "特定国依存" in table.inner_text()
    screenshot("dependency-02-map")

    # The product's chart over five years, downloadable as PNG (drawn by the browser) and SVG.
    page.locator("#dependency-products").get_by_role("link", name="高純度フッ化物").click()
    page.wait_for_url(re.compile(r"/dependencies/chart/\?"))
    chart_table = page.locator("#dependency-chart-table")
    assert chart_table.locator("thead").inner_text().split()[-5:] == [
        "2019",
        "2020",
        "2021",
        "2022",
        "2023",
    ]
    with page.expect_download() as png:
        page.get_by_role("button", name="PNGでダウンロード").click()
    assert png.value.suggested_filename == "dependency-chart.png"
    assert png.value.path().read_bytes().startswith(b"\x89PNG")
    with page.expect_download() as svg:
        page.get_by_role("link", name="SVGでダウンロード").click()
    assert b"<svg" in svg.value.path().read_bytes()
    screenshot("dependency-03-chart")

    # Link the latest figure to the supply-disruption threat and two company concerns.
    page.get_by_role("link", name=re.compile("2023 中国 64%")).click()
    page.get_by_role("link", name="編集").click()
    threat = semiconductor_world["threat"]
    page.locator(f"input[name=threats][value='{threat.pk}']").check()
    for concern in semiconductor_world["concerns"]:
        page.locator(f"input[name=concerns][value='{concern.pk}']").check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/dependencies/\d+/$"))
    assert page.get_by_role("link", name="高純度材料の原料の供給途絶").is_visible()
    for concern in semiconductor_world["concerns"]:
        assert page.get_by_text(concern.title).is_visible()
    screenshot("dependency-04-linked")
    assert csp_errors == []
