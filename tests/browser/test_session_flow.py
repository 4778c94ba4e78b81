"""DOMAIN.md flow 1 in a real browser: a sector official records a semiconductor dialogue."""

import io
import re

import pytest
from django.core.management import call_command

from dialogue.models import ChokepointTechnology, DialogueSession, Sector
from tests import factories as f
from tests.support.auth import PASSWORD


@pytest.fixture
def official(transactional_db):
    call_command("load_reference_data", stdout=io.StringIO())
    semiconductors = Sector.objects.get(code="semiconductors")
    f.SecretariatFactory(username="secretariat", last_name="経済", first_name="花子")
    colleague = f.OfficialFactory(
        username="semicon_colleague", last_name="佐藤", first_name="次郎", sectors=[semiconductors]
    )
    f.OrganizationFactory(name="株式会社半導体材料", sectors=[semiconductors])
    return (
        f.OfficialFactory(
            username="semicon_official",
            last_name="半田",
            first_name="一郎",
            sectors=[semiconductors],
        ),
        colleague,
    )


def test_official_records_the_semiconductor_session_and_finds_it_everywhere(
    live_server, official, page, screenshot
):
    me, colleague = official
    photoresist = ChokepointTechnology.objects.filter(name__contains="レジスト").first()
    assert photoresist is not None

    # Sign in.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ユーザー名").fill("semicon_official")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    # The sessions page from the menu, then the form.
    page.get_by_role("link", name="対話セッション").or_(
        page.locator('a[href="/sessions/"]')
    ).first.click()
    page.wait_for_url(f"{live_server.url}/sessions/")
    page.locator('a[href="/sessions/new/"]').click()
    page.wait_for_url(f"{live_server.url}/sessions/new/")

    # Every interaction with the form is counted: the note reports the figure.
    interactions = 0

    def fill(name: str, value: str) -> None:
        nonlocal interactions
        interactions += 1
        page.locator(f'[name="{name}"]').fill(value)

    def choose(name: str, value: str) -> None:
        nonlocal interactions
        interactions += 1
        page.locator(f'[name="{name}"]').select_option(value)

    def add_row(section: str) -> None:
        nonlocal interactions
        interactions += 1
        page.locator(f'[data-formset="{section}"] [data-add-row]').click()

    # One empty row per table; the past date makes the session 開催済み without asking.
    assert page.locator('[data-formset="threats"] [data-rows] [data-row]').count() == 1
    fill("title", "半導体分野 戦略的対話（第3回）")
    assert page.locator('[name="sectors"]').first.is_checked()  # my only sector, preselected
    fill("held_on", "2026-11-20")
    choose("format", "industry_roundtable")
    fill(
        "minutes",
        "# 概要\n\n- 退職者を通じた製造ノウハウ流出の懸念\n- 高純度原料の供給途絶リスク\n\n"
        "**合意事項**: 3件のフォローアップを実施する。",
    )
    fill("participants-0-name", "半田 一郎")
    fill("participants-0-affiliation", "経済産業省 製造産業局")
    add_row("participants")
    fill("participants-1-name", "山田 太郎")
    fill("participants-1-affiliation", "技術管理部長")
    # The organization is found by typing part of its name (one match is chosen).
    interactions += 1
    page.locator('[data-formset="participants"] .select-search').nth(1).fill("半導体材料")
    organization = page.locator('[name="participants-1-organization"] option:checked')
    assert organization.inner_text() == "株式会社半導体材料"
    add_row("participants")
    fill("participants-2-name", "鈴木 三郎")
    choose("agenda-0-topic", "chokepoints")
    fill("agenda-0-note", "フォトレジストの流出懸念を業界内で共有")
    # The threat code is a choice, grouped by the plan's families.
    fill("threats-0-title", "退職技術者を通じた製造ノウハウの流出")
    choose("threats-0-code", "1-2")
    choose("threats-0-likelihood", "4")
    choose("threats-0-impact", "5")
    add_row("threats")
    fill("threats-1-title", "高純度原料の特定国依存による供給途絶")
    choose("threats-1-code", "2-1")
    fill("threats-1-description", "フッ化物の調達先が一か国に集中している。")
    choose("threats-1-likelihood", "3")
    choose("threats-1-impact", "4")
    interactions += 1
    page.locator(f'[name="chokepoints"][value="{photoresist.pk}"]').check()

    actions = [
        ("退職時の秘密保持手続きを業界で共有する", me, "2026-12-15", "protection"),
        ("高純度原料の代替調達先を調査する", colleague, "2027-01-31", "promotion"),
        ("同志国とフォトレジストの情報を共有する", me, "2027-02-28", "partnership"),
    ]
    for i, (title, owner, due, pillar) in enumerate(actions):
        if i:
            add_row("actions")
        fill(f"actions-{i}-title", title)
        choose(f"actions-{i}-owner", str(owner.pk))
        fill(f"actions-{i}-due_on", due)
        choose(f"actions-{i}-pillar", pillar)
    screenshot("session-01-form-filled")
    interactions += 1
    page.locator("form.session-form button[type=submit]").click()
    print(f"flow 1: {interactions} interactions on the form, 2 page loads (form, saved page)")

    # The detail page: everything linked.
    page.wait_for_url(re.compile(r"/sessions/\d+/$"))
    session = DialogueSession.objects.get()
    assert page.get_by_role("heading", name="半導体分野 戦略的対話（第3回）").is_visible()
    # "# 概要" in the minutes is a heading under the minutes card, not a second page title.
    assert page.locator(".minutes h3").inner_text() == "概要"
    assert page.locator("h1").count() == 1
    assert page.get_by_role("link", name="退職技術者を通じた製造ノウハウの流出").is_visible()
    assert page.get_by_role("link", name=photoresist.name).is_visible()
    assert page.get_by_text("鈴木 三郎").is_visible()
    assert session.participants.count() == 3
    # The organization a participant named took part; the date made the session held.
    assert [o.name for o in session.participating_organizations.all()] == ["株式会社半導体材料"]
    assert session.status == "held"
    screenshot("session-02-detail")

    # Minutes approved, with the button.
    page.locator('button[name="status"][value="minutes_approved"]').click()
    page.wait_for_url(re.compile(r"/sessions/\d+/$"))
    session.refresh_from_db()
    assert session.status == "minutes_approved"

    # The dashboard heat map counts the two threats.
    page.goto(f"{live_server.url}/")
    heat_map = page.locator("table.heatmap")
    for code in ("1-2", "2-1"):
        cell = heat_map.locator(f'a[href="/threats/?sector=semiconductors&category={code}"]')
        assert cell.inner_text() == "1"
    heat_map.scroll_into_view_if_needed()
    screenshot("session-03-dashboard-heatmap", full_page=False)

    # The action tracker lists the three actions; mine are two.
    page.goto(f"{live_server.url}/actions/")
    table = page.locator("table.actions-table tbody")
    for title, *_ in actions:
        assert table.get_by_role("link", name=title).is_visible()
    page.locator("#id_owner").select_option("me")
    page.get_by_role("button", name="絞り込む").or_(page.locator(".filters button")).first.click()
    page.wait_for_url(re.compile(r"owner=me"))
    assert page.locator("table.actions-table tbody tr").count() == 2
    screenshot("session-04-action-tracker-mine")

    # Switch to English on the session page.
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    page.get_by_role("button", name="English").click()
    page.wait_for_url(re.compile(r"/sessions/\d+/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Change history").is_visible()
    assert page.get_by_role("heading", name="Threats identified").is_visible()
    screenshot("session-05-detail-en")
    page.goto(f"{live_server.url}/actions/")
    assert page.get_by_role("heading", name="Follow-up actions", level=1).is_visible()
    screenshot("session-06-action-tracker-en")
