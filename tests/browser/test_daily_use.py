"""Daily use in a real browser: a failed session save that says what is wrong and where,
DOMAIN.md flow 2 with its clicks counted (the concern's status following the
conversation, a reply from a template with a file, the linked threat carried into the
action), every dashboard link opening exactly what its panel counts, the action edit
page and saved filters. Screenshots go to test-artifacts/daily-*.png."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from dialogue.enums import ActionStatus, ConcernStatus, Marking, SessionStatus
from dialogue.models import (
    Concern,
    DialogueSession,
    FollowUpAction,
    ReplyTemplate,
    SavedFilter,
    Sector,
    ThreatCategory,
)
from tests import factories as f
from tests.support.auth import PASSWORD
from tests.support.files import PDF

TODAY = timezone.localdate()
DAY = timezone.timedelta(days=1)


@pytest.fixture
def world(transactional_db):
    call_command("load_reference_data", stdout=io.StringIO())
    semiconductors = Sector.objects.get(code="semiconductors")
    organization = f.OrganizationFactory(name="株式会社ひかり素材", sectors=[semiconductors])
    official = f.OfficialFactory(
        username="semicon_official", last_name="半田", first_name="一郎", sectors=[semiconductors]
    )
    return {
        "sector": semiconductors,
        "batteries": Sector.objects.get(code="batteries"),
        "official": official,
        "colleague": f.OfficialFactory(
            username="semicon_colleague",
            last_name="佐藤",
            first_name="次郎",
            sectors=[semiconductors],
        ),
        "organization": organization,
        "company": f.CompanyUserFactory(
            username="hikari_user", last_name="山田", first_name="花子", organization=organization
        ),
        "export_threat": f.ThreatFactory(
            sector=semiconductors,
            category=ThreatCategory.objects.get(code="2-2"),
            title="外国の輸出管理による製造装置部材の調達難",
            marking=Marking.GREEN,
            created_by=official,
        ),
        "template": ReplyTemplate.objects.create(
            sector=semiconductors,
            title="輸出規制の照会への一次回答",
            body="ご相談ありがとうございます。対象品目と代替調達先について情報を共有します。",
        ),
    }


def sign_in(page, live_server, username: str, *, portal: bool = False) -> None:
    page.goto(f"{live_server.url}{'/portal/login/' if portal else '/accounts/login/'}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}{'/portal/' if portal else '/'}")


class Counter:
    """Counts what a person does: interactions (typing into a field, choosing, clicking)
    and the page loads they wait for."""

    def __init__(self, page):
        self.page, self.interactions, self.loads = page, 0, 0

    def fill(self, selector: str, value: str) -> None:
        self.interactions += 1
        self.page.locator(selector).fill(value)

    def choose(self, selector: str, value: str) -> None:
        self.interactions += 1
        self.page.locator(selector).select_option(value)

    def check(self, selector: str) -> None:
        self.interactions += 1
        self.page.locator(selector).check()

    def attach(self, selector: str, name: str, content: bytes) -> None:
        self.interactions += 1
        self.page.locator(selector).set_input_files(
            files=[{"name": name, "mimeType": "application/pdf", "buffer": content}]
        )

    def click_to_load(self, locator, url_pattern: str) -> None:
        self.interactions += 1
        self.loads += 1
        locator.click()
        self.page.wait_for_url(re.compile(url_pattern))
        self.page.wait_for_load_state()


def badge_text(page) -> str:
    return page.locator(".page-header__lead .badge").last.inner_text()


def test_a_failed_session_save_lists_every_error_with_a_link_to_its_field(
    live_server, world, page, screenshot
):
    sign_in(page, live_server, "semicon_official")
    page.goto(f"{live_server.url}/sessions/new/")
    page.locator('[name="title"]').fill("半導体分野 戦略的対話（第4回）")
    page.locator('[name="held_on"]').fill("2026-11-20")
    # A threat row started but not finished, and an action without its owner.
    page.locator('[name="threats-0-title"]').fill("退職技術者を通じた製造ノウハウの流出")
    page.locator('[name="threats-0-likelihood"]').select_option("4")
    page.locator('[name="actions-0-title"]').fill("退職時の秘密保持手続きを業界で共有する")
    page.locator('[name="actions-0-due_on"]').fill("2026-12-15")
    page.locator("form.session-form button[type=submit]").click()
    page.wait_for_load_state()

    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    # The box has the focus, so the page is scrolled to it and a screen reader reads it.
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.evaluate(
        "(() => { const r = document.querySelector('[data-error-summary]')"
        ".getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; })()"
    )
    items = summary.locator("li").all_inner_texts()
    for expected in (
        "新たに特定された脅威 1 行目：脅威コード",
        "新たに特定された脅威 1 行目：影響度",
        "合意したフォローアップアクション 1 行目：担当者",
        "合意したフォローアップアクション 1 行目：政策領域",
    ):
        assert any(item.startswith(expected) for item in items), (expected, items)
    screenshot("daily-01-session-error-summary", full_page=False)

    # Each entry is a link to its field, far down the page.
    summary.get_by_role("link", name="新たに特定された脅威 1 行目：脅威コード").click()
    assert page.url.endswith("#id_threats-0-code")
    code = page.locator("#id_threats-0-code")
    assert code.is_visible()
    # The cursor is in the field, shown mid-window with its label and row around it.
    assert page.evaluate("document.activeElement.id") == "id_threats-0-code"
    assert page.evaluate(
        "(() => { const r = document.getElementById('id_threats-0-code')"
        ".getBoundingClientRect(); return r.top > 100 && r.bottom < window.innerHeight; })()"
    )
    screenshot("daily-02-session-error-field", full_page=False)
    # Nothing saved, nothing typed lost.
    assert not DialogueSession.objects.exists()
    assert (
        page.locator('[name="threats-0-title"]').input_value()
        == "退職技術者を通じた製造ノウハウの流出"
    )
    assert page.locator('[name="actions-0-due_on"]').input_value() == "2026-12-15"

    # Corrected, it saves.
    code.select_option("1-2")
    page.locator('[name="threats-0-impact"]').select_option("5")
    page.locator('[name="actions-0-owner"]').select_option(str(world["official"].pk))
    page.locator('[name="actions-0-pillar"]').select_option("protection")
    page.locator("form.session-form button[type=submit]").click()
    # (The browser keeps the field's #fragment through the redirect.)
    page.wait_for_url(re.compile(r"/sessions/\d+/(#.*)?$"))
    session = DialogueSession.objects.get()
    assert session.threats.get().category.code == "1-2"
    assert session.actions.get().owner == world["official"]


def test_flow_2_the_status_follows_the_conversation_and_the_action_carries_the_threat(
    live_server, world, browser, screenshot
):
    def new_page():
        context = browser.new_context(
            viewport={"width": 1366, "height": 900}, locale="ja-JP", timezone_id="Asia/Tokyo"
        )
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        return tab

    # The company submits the concern (code 2-2, a PDF attached) in the portal.
    company = new_page()
    sign_in(company, live_server, "hikari_user", portal=True)
    portal = Counter(company)
    portal.click_to_load(company.locator("nav.site-nav a[href='/portal/concerns/new/']"), "/new/$")
    if company.locator("#id_sector").is_visible():  # the organization's only sector is chosen
        portal.choose("#id_sector", str(world["sector"].pk))
    code = ThreatCategory.objects.get(code="2-2")
    portal.interactions += 1  # open the family of codes
    company.locator(f"#id_category_{code.pk}").locator("xpath=../..").locator("summary").click()
    portal.check(f"#id_category_{code.pk}")
    portal.fill("#id_title", "ガリウム輸出規制による調達への影響")
    portal.fill("#id_description", "新たな輸出管理により、主要な取引先からの調達が滞っています。")
    portal.choose("#id_desired_support", "information")
    portal.attach("#id_attachments", "報告書.pdf", PDF)
    portal.click_to_load(
        company.locator("form.form button[type=submit]"), r"/portal/concerns/\d{4}-\d{4,}/$"
    )
    concern = Concern.objects.get()
    assert badge_text(company) == "提出済み"

    # The official takes it from the dashboard, assigns it, answers from a template with a
    # file, links the threat and creates the action.
    official = new_page()
    sign_in(official, live_server, "semicon_official")
    desk = Counter(official)
    new_concerns = official.locator('section[aria-labelledby="new-concerns-title"]')
    desk.click_to_load(
        new_concerns.get_by_role("link", name=concern.title), rf"/concerns/{concern.pk}/$"
    )
    desk.choose('[name="assigned_to"]', str(world["official"].pk))
    desk.click_to_load(
        official.get_by_role("button", name="割り当てる"), rf"/concerns/{concern.pk}/"
    )
    assert badge_text(official) == "振り分け済み"

    desk.choose("#id_reply_template", str(world["template"].pk))
    desk.click_to_load(
        official.get_by_role("button", name="このテンプレートを使う"), "reply_template="
    )
    body = official.locator("#reply [name=body]")
    assert body.input_value() == world["template"].body
    desk.fill("#reply [name=body]", body.input_value() + "\n別添の資料をご確認ください。")
    desk.attach("#reply [name=attachments]", "対象品目一覧.pdf", PDF)
    desk.click_to_load(official.get_by_role("button", name="投稿する"), rf"/concerns/{concern.pk}/")
    # The first answer to the company: answered, without touching the status form.
    assert badge_text(official) == "回答済み"
    assert official.get_by_role("link", name="対象品目一覧.pdf").is_visible()
    screenshot_page(official, "daily-02-concern-answered")

    desk.choose('[name="threat"]', str(world["export_threat"].pk))
    desk.click_to_load(
        official.get_by_role("button", name="関連付ける", exact=True), rf"/concerns/{concern.pk}/"
    )
    desk.click_to_load(
        official.get_by_role("link", name="この懸念・相談からフォローアップアクションを作成"),
        r"/actions/new/\?concern=",
    )
    # The concern's linked threat and sector come with it.
    assert official.locator('[name="threat"]').input_value() == str(world["export_threat"].pk)
    desk.fill('[name="title"]', "ガリウム代替調達先の情報を企業へ提供する")
    desk.choose('[name="owner"]', str(world["official"].pk))
    desk.fill('[name="due_on"]', (TODAY + 14 * DAY).isoformat())
    desk.choose('[name="pillar"]', "promotion")
    desk.click_to_load(official.locator("form.form button[type=submit]"), r"/actions/\d+/$")
    action = FollowUpAction.objects.get()
    assert (action.concern, action.threat) == (concern, world["export_threat"])
    concern.refresh_from_db()
    assert list(concern.threats.all()) == [world["export_threat"]]

    # The company sees the answer and its status, writes back: in progress.
    company.reload()
    assert badge_text(company) == "回答済み"
    assert "代替調達先について情報を共有します" in company.locator(".thread").inner_text()
    portal.fill("[name=body]", "ありがとうございます。追加の資料をお送りします。")
    portal.click_to_load(company.get_by_role("button", name="返信を送信する"), r"/portal/concerns/")
    official.goto(f"{live_server.url}/concerns/{concern.pk}/")
    assert badge_text(official) == "対応中"
    screenshot_page(official, "daily-03-concern-in-progress")
    print(
        f"flow 2: company {portal.interactions} interactions / {portal.loads} page loads; "
        f"official {desk.interactions} interactions / {desk.loads} page loads"
    )


def screenshot_page(page, name: str) -> None:
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_every_dashboard_link_opens_the_list_of_what_its_panel_counts(
    live_server, world, page, screenshot
):
    sector, official, other = world["sector"], world["official"], world["colleague"]
    # In one transaction, as a request would be (a concern's number is taken under a lock).
    with transaction.atomic():
        for status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE):
            f.FollowUpActionFactory(sector=sector, owner=official, status=status, created_by=other)
        for owner_sector, status in [
            (sector, ActionStatus.OPEN),
            (sector, ActionStatus.DONE),
            (world["batteries"], ActionStatus.OPEN),
        ]:
            f.FollowUpActionFactory(
                sector=owner_sector,
                owner=other,
                status=status,
                due_on=TODAY - DAY,
                marking=Marking.GREEN,
                created_by=other,
            )
        for concern_sector, status in [
            (sector, ConcernStatus.SUBMITTED),
            (sector, ConcernStatus.ANSWERED),
            (world["batteries"], ConcernStatus.SUBMITTED),
        ]:
            f.ConcernFactory(sector=concern_sector, status=status, marking=Marking.GREEN)
        two_weeks_ago = timezone.now() - 14 * DAY
        for concern_sector, answered in [
            (sector, None),
            (sector, True),
            (world["batteries"], None),
        ]:
            late = f.ConcernFactory(sector=concern_sector, marking=Marking.GREEN)
            Concern.objects.filter(pk=late.pk).update(
                created_at=two_weeks_ago, first_answered_at=answered and two_weeks_ago + DAY
            )
        for held_on, status in [
            (TODAY, SessionStatus.PLANNED),
            (TODAY, SessionStatus.HELD),
            (TODAY - DAY, SessionStatus.HELD),
            (TODAY + DAY, SessionStatus.PLANNED),
        ]:
            f.DialogueSessionFactory(sectors=[sector], held_on=held_on, status=status)

    sign_in(page, live_server, "semicon_official")
    record = re.compile(r"/(actions|concerns|sessions)/\d+/$")
    panels = [
        "my-actions",
        "overdue-actions",
        "new-concerns",
        "late-concerns",
        "upcoming-sessions",
        "recent-sessions",
    ]
    for panel_id in panels:
        page.goto(f"{live_server.url}/")
        panel = page.locator(f'section[aria-labelledby="{panel_id}-title"]')
        total = int(re.search(r"\d+", panel.locator(".panel__count").inner_text()).group())
        assert total, panel_id
        shown = [
            a.inner_text()
            for a in panel.locator("a").all()
            if record.search(a.get_attribute("href") or "")
        ]
        panel.locator(".panel__more a").click()
        page.wait_for_load_state()
        assert page.url != f"{live_server.url}/", panel_id
        count = page.locator(".result-count").inner_text()
        assert int(re.search(r"\d+", count).group()) == total, (panel_id, count, page.url)
        listed = [
            a.inner_text()
            for a in page.locator("main table tbody a").all()
            if record.search(a.get_attribute("href") or "")
        ]
        assert listed[: len(shown)] == shown, (panel_id, page.url)
        screenshot(f"daily-04-dashboard-link-{panel_id}", full_page=False)


def test_an_action_is_edited_and_its_history_says_what_changed(
    live_server, world, page, screenshot
):
    action = f.FollowUpActionFactory(
        sector=world["sector"],
        owner=world["official"],
        title="代替調達先の調査",
        due_on=TODAY + 7 * DAY,
        marking=Marking.GREEN,
        created_by=world["official"],
    )
    sign_in(page, live_server, "semicon_official")
    page.goto(f"{live_server.url}/actions/{action.pk}/")
    page.get_by_role("link", name="編集", exact=True).click()
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/edit/$"))
    page.locator('[name="title"]').fill("高純度ガリウムの代替調達先を調査する")
    page.locator('[name="owner"]').select_option(str(world["colleague"].pk))
    new_due = TODAY + 30 * DAY
    page.locator('[name="due_on"]').fill(new_due.isoformat())
    screenshot("daily-05-action-edit")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/$"))

    action.refresh_from_db()
    assert (action.title, action.owner, action.due_on) == (
        "高純度ガリウムの代替調達先を調査する",
        world["colleague"],
        new_due,
    )
    assert page.locator("h1").inner_text() == "高純度ガリウムの代替調達先を調査する"
    history = page.locator("section", has=page.get_by_role("heading", name="変更履歴"))
    assert "代替調達先の調査" in history.inner_text()  # the old title, in what changed
    screenshot("daily-06-action-after-edit")

    # A stale edit (someone saved in between) is refused and loses nothing typed.
    page.goto(f"{live_server.url}/actions/{action.pk}/edit/")
    FollowUpAction.objects.filter(pk=action.pk).update(version=action.version + 1)
    page.locator('[name="title"]').fill("同時に編集されたタイトル")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    conflict = page.locator(".conflict")
    assert "編集中に他の人がこの記録を保存しました" in conflict.inner_text()
    assert "同時に編集されたタイトル" in conflict.locator("table").inner_text()
    assert page.locator('[name="title"]').input_value() == "同時に編集されたタイトル"
    action.refresh_from_db()
    assert action.title == "高純度ガリウムの代替調達先を調査する"


def test_a_saved_filter_reopens_the_same_list_and_only_for_its_owner(
    live_server, world, page, browser
):
    for status in (ActionStatus.OPEN, ActionStatus.DONE):
        f.FollowUpActionFactory(
            sector=world["sector"],
            owner=world["official"],
            status=status,
            marking=Marking.GREEN,
            created_by=world["official"],
        )
    sign_in(page, live_server, "semicon_official")
    page.goto(f"{live_server.url}/actions/")
    page.locator("#id_owner").select_option("me")
    page.locator("#id_status").select_option(ActionStatus.OPEN)
    page.locator(".filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"owner=me"))
    filtered_url = page.url
    rows = page.locator("table.actions-table tbody tr").count()
    assert rows == 1

    page.locator("#id_saved_filter_name").fill("自分の未着手")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_load_state()
    assert SavedFilter.objects.get().name == "自分の未着手"

    page.goto(f"{live_server.url}/actions/")
    assert page.locator("table.actions-table tbody tr").count() == 2
    page.get_by_role("link", name="自分の未着手").click()
    page.wait_for_load_state()
    assert page.url.split("?")[1] == filtered_url.split("?")[1]
    assert page.locator("table.actions-table tbody tr").count() == rows

    # A colleague does not see it.
    other = browser.new_context(locale="ja-JP").new_page()
    sign_in(other, live_server, "semicon_colleague")
    other.goto(f"{live_server.url}/actions/")
    assert other.get_by_role("link", name="自分の未着手").count() == 0

    # Deleted with its ×.
    page.get_by_role("button", name=re.compile("自分の未着手")).click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="自分の未着手").count() == 0
    assert not SavedFilter.objects.exists()


def test_times_are_japan_time_in_one_format_per_language_and_names_family_first(
    live_server, world, page, screenshot
):
    action = f.FollowUpActionFactory(
        sector=world["sector"],
        owner=world["official"],
        title="代替調達先の調査",
        marking=Marking.GREEN,
        created_by=world["official"],
    )
    created = timezone.localtime(action.history.earliest().history_date)  # Asia/Tokyo
    sign_in(page, live_server, "semicon_official")
    page.goto(f"{live_server.url}/actions/{action.pk}/")
    history = page.locator("section", has=page.get_by_role("heading", name="変更履歴"))
    assert created.strftime("%Y/%m/%d ") + f"{created.hour}:{created:%M}" in history.inner_text()
    assert "+00:00" not in page.content()
    assert "半田 一郎" in page.locator(".site-header").inner_text()  # family name first

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    history = page.locator("section", has=page.get_by_role("heading", name="Change history"))
    assert created.strftime("%Y-%m-%d %H:%M") in history.inner_text()
    assert "a.m." not in history.inner_text() and "p.m." not in history.inner_text()
    assert "半田 一郎" in page.locator(".site-header").inner_text()
    screenshot("daily-07-history-en", full_page=False)
