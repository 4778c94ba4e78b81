"""DOMAIN.md flow 7 in a real browser: the semiconductor official imports five years of trade
statistics (dry run, then confirm), sees China's share marked 特定国依存 on the map, opens the
product's chart and downloads it as PNG and SVG, links the figure to the supply-disruption
threat and two company concerns, records the topic on the agenda of the next 日米経済版
「２＋２」 working-level meeting (a session with no sector), and the plan-revision export then
carries the dependency table and the chart."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

from dialogue.models import Dependency, DialogueSession, Forum, Sector, ThreatCategory
from dialogue.services.plans import plan_revision_start
from tests import factories as f
from tests.support.auth import PASSWORD

TWO_PLUS_TWO = "japan-us-economic-2plus2"
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
    f.forum(TWO_PLUS_TWO, officials=[official])
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


def test_flow_7_import_see_the_map_link_put_on_the_2plus2_agenda_and_export(
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
    dependency = Dependency.objects.get(product="高純度フッ化物", country="CN", year=2023)

    # Record the topic on the agenda of the next 2+2 working-level meeting, from the forum's
    # page: an international session under the forum, with no sector.
    forum = Forum.objects.get(code=TWO_PLUS_TWO)
    page.locator('nav a[href="/forums/"]').first.click()
    page.get_by_role("link", name="日米経済版「２＋２」").click()
    page.wait_for_url(f"{live_server.url}/forums/{forum.code}/")
    assert page.get_by_text("重要・新興技術と重要インフラの促進と保護").is_visible()
    page.get_by_role("link", name="対話セッションを記録").click()
    page.wait_for_url(re.compile(r"/sessions/new/\?forum="))
    assert page.locator('[name="format"]').input_value() == "international"
    assert page.locator('[name="forum"]').input_value() == str(forum.pk)
    assert not page.locator('[name="sectors"]:checked').count()
    page.locator('[name="title"]').fill("日米経済版「２＋２」実務者会合（第4回）")
    page.locator('[name="held_on"]').fill("2027-03-02")
    page.locator('[name="agenda-0-topic"]').select_option("like_minded")
    page.locator('[name="agenda-0-threat"]').select_option(str(threat.pk))
    page.locator('[name="agenda-0-dependency"]').select_option(str(dependency.pk))
    page.locator('[name="agenda-0-note"]').fill("フッ化物の中国依存と同志国での代替調達")
    screenshot("dependency-05-session-form")
    page.locator("form.session-form button[type=submit]").click()

    # The session's page links the threat and the figure from its agenda.
    page.wait_for_url(re.compile(r"/sessions/\d+/$"))
    session = DialogueSession.objects.get()
    assert session.forum == forum and not session.sectors.exists()
    assert session.agenda_items.get().dependency == dependency
    agenda = page.locator(".agenda-link")
    assert agenda.get_by_role("link", name=re.compile(threat.title)).is_visible()
    assert agenda.get_by_role("link", name="高純度フッ化物 — 中国 2023 64%").is_visible()
    screenshot("dependency-06-session")

    # The forum's page lists the topic under semiconductors; the figure's page names the
    # meeting where it was raised.
    page.goto(f"{live_server.url}/forums/{forum.code}/")
    topics = page.locator('section[aria-labelledby="forum-topics"]')
    assert topics.get_by_role("link", name="高純度フッ化物 — 中国 2023 64%").is_visible()
    assert topics.get_by_role("link", name="半導体", exact=True).is_visible()
    topics.get_by_role("link", name="高純度フッ化物 — 中国 2023 64%").click()
    raised = page.locator('section[aria-labelledby="dependency-agenda"]')
    assert raised.get_by_role("link", name="日米経済版「２＋２」実務者会合（第4回）").is_visible()

    # The plan-revision export (PDF) carries the dependency table and the chart.
    revision = plan_revision_start(actor=f.SecretariatFactory())
    page.goto(f"{live_server.url}/plans/{revision.pk}/")
    page.locator("#id_format").select_option("pdf")
    with page.expect_download() as report:
        page.get_by_role("button", name="エクスポート").click()
    text = "".join(p.extract_text() for p in PdfReader(report.value.path()).pages)
    assert "依存マップ" in text and "高純度フッ化物" in text
    assert csp_errors == []
