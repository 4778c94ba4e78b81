"""DOMAIN.md flow 7's last step in a real browser: the semiconductors official puts the supply
threat on the agenda of the next 日米経済版「２＋２」 working-level meeting — a session under
the forum with no sector — and finds it on the forum's page."""

import io
import re

import pytest
from django.core.management import call_command

from dialogue.enums import Marking
from dialogue.models import DialogueSession, Forum, Sector, ThreatCategory
from tests import factories as f
from tests.support.auth import PASSWORD


@pytest.fixture
def official(transactional_db):
    call_command("load_reference_data", stdout=io.StringIO())
    semiconductors = Sector.objects.get(code="semiconductors")
    me = f.OfficialFactory(
        username="semicon_official", last_name="半田", first_name="一郎", sectors=[semiconductors]
    )
    f.forum("japan-us-economic-2plus2", officials=[me])
    threat = f.ThreatFactory(
        title="フォトレジスト原料の特定国依存による供給途絶",
        sector=semiconductors,
        category=ThreatCategory.objects.get(code="2-1"),
        marking=Marking.AMBER,
        created_by=f.SecretariatFactory(username="secretariat"),
    )
    return me, threat


def test_the_official_puts_the_threat_on_the_next_2plus2_agenda(
    live_server, official, page, screenshot
):
    _me, threat = official
    forum = Forum.objects.get(code="japan-us-economic-2plus2")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ユーザー名").fill("semicon_official")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    # The forums from the menu, then the 2+2 forum: its counterpart and standing agenda.
    page.locator('nav a[href="/forums/"]').first.click()
    page.wait_for_url(f"{live_server.url}/forums/")
    page.get_by_role("link", name="日米経済版「２＋２」").click()
    page.wait_for_url(f"{live_server.url}/forums/{forum.code}/")
    assert page.get_by_text("米国").first.is_visible()
    assert page.get_by_text("重要・新興技術と重要インフラの促進と保護").is_visible()

    # Record a session from the forum's page: international, under the forum, no sector.
    page.get_by_role("link", name="対話セッションを記録").click()
    page.wait_for_url(re.compile(r"/sessions/new/\?forum="))
    assert page.locator('[name="format"]').input_value() == "international"
    assert page.locator('[name="forum"]').input_value() == str(forum.pk)
    assert not page.locator('[name="sectors"]:checked').count()
    page.locator('[name="title"]').fill("日米経済版「２＋２」実務者会合（第4回）")
    page.locator('[name="held_on"]').fill("2027-03-02")
    page.locator('[name="agenda-0-topic"]').select_option("like_minded")
    page.locator('[name="agenda-0-threat"]').select_option(str(threat.pk))
    page.locator('[name="agenda-0-note"]').fill("供給途絶リスクの共有と同志国での対応")
    screenshot("forum-01-session-form")
    page.locator("form.session-form button[type=submit]").click()

    # The session's page names the forum and links the threat from its agenda.
    page.wait_for_url(re.compile(r"/sessions/\d+/$"))
    session = DialogueSession.objects.get()
    assert session.forum == forum and not session.sectors.exists()
    assert page.get_by_role("link", name="日米経済版「２＋２」").is_visible()
    assert page.get_by_role("link", name=re.compile(threat.title)).is_visible()

    # The forum's page shows the meeting and the topic it raised, under semiconductors.
    page.goto(f"{live_server.url}/forums/{forum.code}/")
    assert page.get_by_role(
        "link", name="日米経済版「２＋２」実務者会合（第4回）"
    ).first.is_visible()
    assert page.get_by_role("link", name=re.compile(threat.title)).first.is_visible()
    topics = page.locator('section[aria-labelledby="forum-topics"]')
    assert topics.get_by_role("link", name="半導体", exact=True).is_visible()
    screenshot("forum-02-forum-page")
