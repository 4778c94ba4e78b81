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

    page.locator('[name="title"]').fill("半導体分野 戦略的対話（第3回）")
    assert page.locator('[name="sectors"]').first.is_checked()  # my only sector, preselected
    page.locator('[name="held_on"]').fill("2026-11-20")
    page.locator('[name="format"]').select_option("industry_roundtable")
    page.locator('[name="participating_organizations"]').select_option(label="株式会社半導体材料")
    page.locator('[name="minutes"]').fill(
        "## 概要\n\n- 退職者を通じた製造ノウハウ流出の懸念\n- 高純度原料の供給途絶リスク\n\n"
        "**合意事項**: 3件のフォローアップを実施する。"
    )
    rows = {
        "participants-0-name": "半田 一郎",
        "participants-0-affiliation": "経済産業省 製造産業局",
        "participants-1-name": "山田 太郎",
        "participants-1-affiliation": "技術管理部長",
        "threats-0-title": "退職技術者を通じた製造ノウハウの流出",
        "threats-0-code": "1-2",
        "threats-1-title": "高純度原料の特定国依存による供給途絶",
        "threats-1-code": "2-1",
        "agenda-0-note": "フォトレジストの流出懸念を業界内で共有",
    }
    for name, value in rows.items():
        page.locator(f'[name="{name}"]').fill(value)
    page.locator('[name="participants-1-organization"]').select_option(label="株式会社半導体材料")
    page.locator('[name="agenda-0-topic"]').select_option("chokepoints")
    page.locator('[name="threats-0-likelihood"]').select_option("4")
    page.locator('[name="threats-0-impact"]').select_option("5")
    page.locator('[name="threats-1-likelihood"]').select_option("3")
    page.locator('[name="threats-1-impact"]').select_option("4")
    page.locator(f'[name="chokepoints"][value="{photoresist.pk}"]').check()

    # A sixth participant row with the add-row button (progressive enhancement).
    page.locator('[data-formset="participants"] [data-add-row]').click()
    page.locator('[name="participants-5-name"]').fill("鈴木 三郎")

    actions = [
        ("退職時の秘密保持手続きを業界で共有する", me, "2026-12-15", "protection"),
        ("高純度原料の代替調達先を調査する", colleague, "2027-01-31", "promotion"),
        ("同志国とフォトレジストの情報を共有する", me, "2027-02-28", "partnership"),
    ]
    for i, (title, owner, due, pillar) in enumerate(actions):
        page.locator(f'[name="actions-{i}-title"]').fill(title)
        page.locator(f'[name="actions-{i}-owner"]').select_option(str(owner.pk))
        page.locator(f'[name="actions-{i}-due_on"]').fill(due)
        page.locator(f'[name="actions-{i}-pillar"]').select_option(pillar)
    screenshot("session-01-form-filled")
    page.locator("form.session-form button[type=submit]").click()

    # The detail page: everything linked.
    page.wait_for_url(re.compile(r"/sessions/\d+/$"))
    session = DialogueSession.objects.get()
    assert page.get_by_role("heading", name="半導体分野 戦略的対話（第3回）").is_visible()
    assert page.locator(".minutes h2").inner_text() == "概要"
    assert page.get_by_role("link", name="退職技術者を通じた製造ノウハウの流出").is_visible()
    assert page.get_by_role("link", name=photoresist.name).is_visible()
    assert page.get_by_text("鈴木 三郎").is_visible()
    assert session.participants.count() == 3
    screenshot("session-02-detail")

    # Held, then minutes approved, with the buttons.
    page.locator('button[name="status"][value="held"]').click()
    page.wait_for_url(re.compile(r"/sessions/\d+/$"))
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
