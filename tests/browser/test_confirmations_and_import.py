"""In a real browser: publishing or deleting a draft plan revision, closing a concern,
withdrawing a notice and revoking an API token (workspace and portal) each ask first on
a page that says what will happen, change nothing until confirmed, and change nothing on
cancel; the tracker import names a bad row's number and column and saves nothing, lists
a good CSV or XLSX file's rows before saving them into the register, and finds nothing
new in the same file the second time. Screenshots: test-artifacts/confirm-*, import-*."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from dialogue.enums import ConcernStatus, NoticeStatus, PlanRevisionStatus
from dialogue.models import ApiToken, FollowUpAction, Notice, PlanRevision, Sector, Threat
from dialogue.services.concerns import concern_message_post
from dialogue.services.plans import plan_revision_start
from dialogue.services.tokens import api_token_issue
from tests import factories as f


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    # The import keeps the dry run's file in MEDIA_ROOT until it is confirmed.
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_reference_data", stdout=io.StringIO())
    semiconductors = Sector.objects.get(code="semiconductors")
    # Committed in one transaction: the live server reads it from another thread, and
    # the factories' row locks need one on PostgreSQL.
    with transaction.atomic():
        organization = f.OrganizationFactory(name="株式会社半導体材料", sectors=[semiconductors])
        return {
            "semiconductors": semiconductors,
            "secretariat": f.SecretariatFactory(
                username="secretariat", last_name="経済", first_name="花子"
            ),
            "official": f.OfficialFactory(
                username="semi_official",
                last_name="半田",
                first_name="一郎",
                sectors=[semiconductors],
            ),
            "organization": organization,
            "company_user": f.CompanyUserFactory(
                username="company_a", last_name="佐藤", first_name="花子", organization=organization
            ),
        }


def sign_in(page, live_server, user, language: str = "ja") -> None:
    """The browser takes over a session signed in by Django's test client, in `language`."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )


def success_message(page) -> str:
    return page.locator(".messages .message--success").inner_text().strip()


def table_rows(table) -> list[list[str]]:
    return table.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => [...row.cells].map(cell => cell.innerText.trim()))"
    )


def assert_confirmation_page(
    page, *, heading: str, question: str, button: str, cancel_href: str, cancel: str = "キャンセル"
) -> None:
    """What the page asking first shows: the step, what it will do, one button to do it
    and a link back to where the person came from."""
    card = page.locator("main .card")
    assert card.locator("h1").inner_text().strip() == heading
    assert card.locator("p").first.inner_text().strip() == question
    assert [text.strip() for text in card.get_by_role("button").all_inner_texts()] == [button]
    assert cancel_link(page, cancel).get_attribute("href") == cancel_href
    assert page.locator(".messages").count() == 0


def cancel_link(page, label: str = "キャンセル"):
    return page.locator("main .card").get_by_role("link", name=label, exact=True)


# -- A. Confirmation pages ---------------------------------------------------------------


def test_confirm_publishing_a_plan_revision(live_server, world, page, screenshot):
    revision = plan_revision_start(actor=world["secretariat"], notes="年度末の見直し")
    label = revision.label
    sign_in(page, live_server, world["secretariat"])

    # From the list of editions to the draft, whose side panel offers to publish it.
    page.goto(f"{live_server.url}/plans/")
    assert page.locator("html").get_attribute("lang") == "ja"
    page.get_by_role("link", name=label, exact=True).click()
    page.wait_for_url(f"{live_server.url}/plans/{revision.pk}/")
    assert page.locator(".page-header__lead .badge").inner_text().strip() == "案"
    page.get_by_role("link", name="この版を公表する").click()

    # A page of its own (a GET) says what publishing means; nothing is published yet.
    page.wait_for_url(f"{live_server.url}/plans/{revision.pk}/publish/")
    assert_confirmation_page(
        page,
        heading=f"{label} を公表する",
        question=(
            f"{label} を公表しますか。公表すると内容は確定し、この版を変更・削除できなく"
            "なります。以後の変更は次の改訂案に入ります。"
        ),
        button="この版を公表する",
        cancel_href=f"/plans/{revision.pk}/",
    )
    screenshot("confirm-plan-publish-01-asked")
    revision.refresh_from_db()
    assert revision.status == PlanRevisionStatus.DRAFT and revision.published_at is None

    # Cancel: back on the draft, still a draft, still offered for publication.
    cancel_link(page).click()
    page.wait_for_url(f"{live_server.url}/plans/{revision.pk}/")
    assert page.locator(".page-header__lead .badge").inner_text().strip() == "案"
    assert page.get_by_role("link", name="この版を公表する").is_visible()
    revision.refresh_from_db()
    assert revision.status == PlanRevisionStatus.DRAFT

    # Confirmed: published, said so, and the draft's buttons are gone.
    page.get_by_role("link", name="この版を公表する").click()
    page.wait_for_url(f"{live_server.url}/plans/{revision.pk}/publish/")
    page.get_by_role("button", name="この版を公表する").click()
    page.wait_for_url(f"{live_server.url}/plans/{revision.pk}/")
    assert success_message(page) == (
        f"{label} を公表しました。今後、この版が変更されることはありません。"
    )
    assert page.locator(".page-header__lead .badge").inner_text().strip() == "公表済み"
    assert page.get_by_role("link", name="この版を公表する").count() == 0
    assert page.get_by_role("link", name="この改訂案を削除する").count() == 0
    screenshot("confirm-plan-publish-02-done")
    revision.refresh_from_db()
    assert revision.status == PlanRevisionStatus.PUBLISHED and revision.published_at


def test_confirm_deleting_a_draft_plan_revision(live_server, world, page, screenshot):
    revision = plan_revision_start(actor=world["secretariat"], notes="試しに作った改訂案")
    label = revision.label
    sign_in(page, live_server, world["secretariat"])

    page.goto(f"{live_server.url}/plans/{revision.pk}/")
    page.get_by_role("link", name="この改訂案を削除する").click()

    page.wait_for_url(f"{live_server.url}/plans/{revision.pk}/delete/")
    assert_confirmation_page(
        page,
        heading=f"改訂案 {label} を削除する",
        question=(
            f"改訂案 {label} を削除しますか。元になった記録はそのまま残りますが、改訂案と"
            "そのメモは削除されます。この操作は元に戻せません。"
        ),
        button="この改訂案を削除する",
        cancel_href=f"/plans/{revision.pk}/",
    )
    screenshot("confirm-plan-delete-01-asked")
    assert PlanRevision.objects.filter(pk=revision.pk, status=PlanRevisionStatus.DRAFT).exists()

    cancel_link(page).click()
    page.wait_for_url(f"{live_server.url}/plans/{revision.pk}/")
    assert page.get_by_role("heading", name=label, level=1).is_visible()
    assert "試しに作った改訂案" in page.locator(".page-header .prose").inner_text()
    assert PlanRevision.objects.filter(pk=revision.pk).exists()

    page.get_by_role("link", name="この改訂案を削除する").click()
    page.wait_for_url(f"{live_server.url}/plans/{revision.pk}/delete/")
    page.get_by_role("button", name="この改訂案を削除する").click()

    # Back on the list of editions, which no longer has it.
    page.wait_for_url(f"{live_server.url}/plans/")
    assert success_message(page) == f"改訂案 {label} を削除しました。"
    assert table_rows(page.locator("main table")) == [["まだ版はありません。"]]
    screenshot("confirm-plan-delete-02-done")
    assert not PlanRevision.objects.filter(pk=revision.pk).exists()


def test_confirm_closing_a_concern(live_server, world, page, screenshot):
    official = world["official"]
    with transaction.atomic():
        concern = f.ConcernFactory(
            title="新たな輸出規制への懸念",
            organization=world["organization"],
            submitted_by=world["company_user"],
            sector=world["semiconductors"],
        )
    # The official has answered: the concern may now be closed.
    concern_message_post(
        concern=concern, author=official, body="規制対象の確認方法をご案内します。"
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ANSWERED
    version = concern.version
    detail = f"{live_server.url}/concerns/{concern.pk}/"
    sign_in(page, live_server, official)

    page.goto(detail)
    status_card = page.locator("section[aria-labelledby=concern-status]")
    assert "回答済み" in page.locator(".page-header__lead").inner_text()
    status_card.get_by_label("新しいステータス").select_option("closed")
    status_card.get_by_role("button", name="ステータスを変更").click()

    page.wait_for_url(f"{live_server.url}/concerns/{concern.pk}/status/")
    assert_confirmation_page(
        page,
        heading="懸念・相談を終了する",
        question=(
            "「新たな輸出規制への懸念」を終了しますか。終了すると企業からの返信は受け付け"
            "られず、再開できません。"
        ),
        button="懸念・相談を終了する",
        cancel_href=f"/concerns/{concern.pk}/",
    )
    screenshot("confirm-concern-close-01-asked")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ANSWERED and concern.version == version

    cancel_link(page).click()
    page.wait_for_url(detail)
    assert "回答済み" in page.locator(".page-header__lead").inner_text()
    assert status_card.get_by_label("新しいステータス").is_visible()
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ANSWERED

    status_card.get_by_label("新しいステータス").select_option("closed")
    status_card.get_by_role("button", name="ステータスを変更").click()
    page.wait_for_url(f"{live_server.url}/concerns/{concern.pk}/status/")
    page.get_by_role("button", name="懸念・相談を終了する").click()

    page.wait_for_url(detail)
    assert success_message(page) == "ステータスを変更しました。"
    assert "終了" in page.locator(".page-header__lead").inner_text()
    assert status_card.inner_text().strip().endswith("この懸念・相談は終了しています。")
    assert status_card.get_by_role("button").count() == 0
    screenshot("confirm-concern-close-02-done")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED


def test_confirm_withdrawing_a_notice(live_server, world, page, screenshot):
    with transaction.atomic():
        notice = f.NoticeFactory(
            title_ja="フォトレジストの輸出管理に関する周知",
            title_en="Notice on the export control of photoresists",
            sectors=[world["semiconductors"]],
            author=world["official"],
        )
    detail = f"{live_server.url}/notices/{notice.pk}/"
    sign_in(page, live_server, world["official"])

    page.goto(detail)
    assert "公表済み" in page.locator(".page-header__lead").inner_text()
    page.get_by_role("button", name="取り下げる", exact=True).click()

    page.wait_for_url(f"{live_server.url}/notices/{notice.pk}/withdraw/")
    assert_confirmation_page(
        page,
        heading="周知を取り下げる",
        question=(
            "「フォトレジストの輸出管理に関する周知」を取り下げますか。企業からは見えなく"
            "なり、取り下げた周知は再び発信できません。"
        ),
        button="周知を取り下げる",
        cancel_href=f"/notices/{notice.pk}/",
    )
    screenshot("confirm-notice-withdraw-01-asked")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED and notice.withdrawn_at is None

    cancel_link(page).click()
    page.wait_for_url(detail)
    assert "公表済み" in page.locator(".page-header__lead").inner_text()
    assert page.get_by_role("button", name="取り下げる", exact=True).is_visible()
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.PUBLISHED

    page.get_by_role("button", name="取り下げる", exact=True).click()
    page.wait_for_url(f"{live_server.url}/notices/{notice.pk}/withdraw/")
    page.get_by_role("button", name="周知を取り下げる").click()

    page.wait_for_url(detail)
    assert success_message(page) == "周知を取り下げました。"
    assert "取下げ" in page.locator(".page-header__lead").inner_text()
    assert page.locator("dl.facts dt").filter(has_text="取下げ日時").is_visible()
    assert page.get_by_role("button", name="取り下げる", exact=True).count() == 0
    screenshot("confirm-notice-withdraw-02-done")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN and notice.withdrawn_at is not None


TOKEN_TEXT = {
    "ja": {
        "account": "パスワードの変更",
        "revoke": "無効にする",
        "heading": "APIトークンを無効にする",
        "question": (
            "「{name}」を無効にしますか。このトークンを使うプログラムは直ちに使えなくなり"
            "ます。無効にしたトークンは元に戻せません。"
        ),
        "button": "トークンを無効にする",
        "cancel": "キャンセル",
        "done": "APIトークンを無効にしました。",
    },
    "en": {
        "account": "Change password",
        "revoke": "Revoke",
        "heading": "Revoke the API token",
        "question": (
            "Revoke “{name}”? Programs that use it stop working at once; a revoked token "
            "cannot be restored."
        ),
        "button": "Revoke the token",
        "cancel": "Cancel",
        "done": "The API token has been revoked.",
    },
}


def revoke_one_of_two_tokens(page, screenshot, *, base, user, account, revoke, text, shot):
    """From the account page's list of tokens: revoke one, cancel, revoke it again and
    confirm; the other token stays."""
    kept, _ = api_token_issue(user=user, name="ノートPC")
    token, _ = api_token_issue(user=user, name="夜間バッチ")
    tokens = page.locator("section[aria-labelledby=api-tokens]")
    revoke_button = tokens.locator("tbody tr").filter(has_text="夜間バッチ").get_by_role("button")

    page.get_by_role("link", name=text["account"], exact=True).click()
    page.wait_for_url(f"{base}{account}")
    assert [row[0] for row in table_rows(tokens)] == ["夜間バッチ", "ノートPC"]
    assert revoke_button.inner_text().strip() == text["revoke"]
    revoke_button.click()

    # The button posts to the revoke address, which answers with the question.
    asked = f"{base}{revoke.format(pk=token.pk)}"
    page.wait_for_url(asked)
    assert_confirmation_page(
        page,
        heading=text["heading"],
        question=text["question"].format(name="夜間バッチ"),
        button=text["button"],
        cancel_href=account,
        cancel=text["cancel"],
    )
    screenshot(f"{shot}-01-asked")
    assert ApiToken.objects.filter(pk__in=[token.pk, kept.pk]).count() == 2

    cancel_link(page, text["cancel"]).click()
    page.wait_for_url(f"{base}{account}")
    assert [row[0] for row in table_rows(tokens)] == ["夜間バッチ", "ノートPC"]
    assert ApiToken.objects.filter(pk__in=[token.pk, kept.pk]).count() == 2

    revoke_button.click()
    page.wait_for_url(asked)
    page.get_by_role("button", name=text["button"], exact=True).click()

    page.wait_for_url(f"{base}{account}")
    assert success_message(page) == text["done"]
    assert [row[0] for row in table_rows(tokens)] == ["ノートPC"]
    screenshot(f"{shot}-02-done")
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert ApiToken.objects.filter(pk=kept.pk).exists()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_confirm_revoking_an_api_token_in_the_workspace(
    live_server, world, page, screenshot, language
):
    sign_in(page, live_server, world["official"], language)
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == language
    revoke_one_of_two_tokens(
        page,
        screenshot,
        base=live_server.url,
        user=world["official"],
        account="/accounts/password/",
        revoke="/accounts/tokens/{pk}/revoke/",
        text=TOKEN_TEXT[language],
        shot=f"confirm-workspace-token-{language}",
    )


def test_confirm_revoking_an_api_token_in_the_portal(live_server, world, page, screenshot):
    sign_in(page, live_server, world["company_user"])
    page.goto(f"{live_server.url}/portal/")
    assert page.locator(".site-header--portal").is_visible()
    revoke_one_of_two_tokens(
        page,
        screenshot,
        base=live_server.url,
        user=world["company_user"],
        account="/portal/account/",
        revoke="/portal/account/tokens/{pk}/revoke/",
        text={**TOKEN_TEXT["ja"], "account": "アカウント情報"},
        shot="confirm-portal-token",
    )


# -- B. The tracker import ---------------------------------------------------------------

THREAT_HEADER = ("sector", "title", "threat_code", "likelihood", "impact")
# The same columns under Japanese headers, which the page accepts as well.
THREAT_HEADER_JA = ("分野", "件名", "脅威コード", "発生可能性", "影響度")
THREATS = [
    ("semiconductors", "退職技術者を通じたノウハウ流出", "1-2", 4, 5),
    ("semiconductors", "高純度材料の供給途絶", "2-1", 3, 4),
]
BAD_ROWS = {
    "unknown-threat-code": (
        ("semiconductors", "分類のわからない脅威", "9-9", 3, 3),
        "threat_code",
        "「9-9」は脅威コードではありません（1-2、2-1 などの脅威コードを指定してください）。",
    ),
    "missing-impact": (
        ("semiconductors", "影響度を書き忘れた脅威", "1-2", 3, ""),
        "impact",
        "この列は必須です。",
    ),
}


def csv_file(header, rows) -> bytes:
    lines = [",".join(header), *(",".join(str(cell) for cell in row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def xlsx_file(header, rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


FILES = {
    "csv": ("脅威一覧.csv", "text/csv", lambda rows: csv_file(THREAT_HEADER, rows)),
    "xlsx": (
        "脅威一覧.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda rows: xlsx_file(THREAT_HEADER_JA, rows),
    ),
}


def open_import_page(page, base: str, kind: str) -> None:
    """The register's own button leads to its import page."""
    page.goto(f"{base}/{kind}/")
    page.get_by_role("link", name="表計算ファイルから取り込む").click()
    page.wait_for_url(f"{base}/import/{kind}/")
    heading = {"threats": "脅威の取り込み", "actions": "フォローアップアクションの取り込み"}[kind]
    assert page.get_by_role("heading", name=heading, level=1).is_visible()


def upload(page, name: str, mime: str, data: bytes) -> None:
    page.get_by_label("ファイル（CSVまたはXLSX）").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )
    page.get_by_role("button", name="ファイルを確認する").click()


def assert_dry_run(page, base: str, kind: str, change: str, rows) -> None:
    """The report of a file that passed, shown by a GET with nothing saved yet: every
    row of the file (the header is row 1) with the change it would make."""
    page.wait_for_url(re.compile(re.escape(f"{base}/import/{kind}/?token=") + r"[\w-]+&marking="))
    plan = page.locator("section[aria-labelledby=import-plan]")
    assert plan.locator("h2").inner_text().strip() == (
        "取り込みによる変更内容（まだ保存していません）"
    )
    assert plan.get_by_role("status").inner_text().strip() == f"{len(rows)}行を確認しました。"
    assert table_rows(plan) == [
        [str(number), change, sector, title, "—"]
        for number, (sector, title, *_) in enumerate(rows, start=2)
    ]
    assert page.locator("#import-errors").count() == 0


@pytest.mark.parametrize("bad", list(BAD_ROWS))
def test_import_a_threat_file_with_a_bad_row_saves_nothing(
    live_server, world, page, screenshot, bad
):
    base = live_server.url
    bad_row, column, message = BAD_ROWS[bad]
    rows = [THREATS[0], bad_row, THREATS[1]]
    row_number = rows.index(bad_row) + 2  # the header is row 1
    sign_in(page, live_server, world["official"])
    open_import_page(page, base, "threats")

    upload(page, "脅威一覧.csv", "text/csv", csv_file(THREAT_HEADER, rows))

    # The same page again, with the problem by row and column, and nothing to confirm.
    errors = page.locator("section[aria-labelledby=import-errors]")
    errors.wait_for()
    assert errors.locator("h2").inner_text().strip() == "1件の問題があるため、何も保存していません"
    assert table_rows(errors) == [[str(row_number), column, message]]
    assert (
        page.locator(".error-summary")
        .inner_text()
        .strip()
        .endswith("行に1件の問題があるため、何も保存していません（表を参照）。")
    )
    assert page.locator("#import-plan").count() == 0
    assert page.get_by_role("button", name="この内容で取り込む").count() == 0
    screenshot(f"import-threats-{bad}-01-errors")
    assert not Threat.objects.exists()

    # Not even the good rows reached the register.
    page.get_by_role("link", name="脅威登録簿").click()
    page.wait_for_url(f"{base}/threats/")
    assert table_rows(page.locator("main table")) == [["脅威はありません。"]]


@pytest.mark.parametrize("file_format", list(FILES))
def test_import_threats_confirm_and_import_the_same_file_again(
    live_server, world, page, screenshot, file_format
):
    base = live_server.url
    name, mime, build = FILES[file_format]
    data = build(THREATS)
    sign_in(page, live_server, world["official"])
    open_import_page(page, base, "threats")
    assert page.get_by_label("新しい記録の情報区分").input_value() == "AMBER"

    # The dry run lists every row as new; nothing is saved yet.
    upload(page, name, mime, data)
    assert_dry_run(page, base, "threats", "新規", THREATS)
    screenshot(f"import-threats-{file_format}-01-dry-run")
    assert not Threat.objects.exists()

    # Confirmed: the register, which now lists them.
    page.get_by_role("button", name="この内容で取り込む").click()
    page.wait_for_url(f"{base}/threats/")
    assert success_message(page) == f"取り込みました：新規{len(THREATS)}件、変更0件、変更なし0件。"
    register = {row[0]: row for row in table_rows(page.locator("main table"))}
    for _, title, code, likelihood, impact in THREATS:
        assert page.get_by_role("link", name=title, exact=True).is_visible()
        assert register[title][1] == world["semiconductors"].name
        assert register[title][2] == code
        assert register[title][3].split()[0] == str(likelihood * impact)
    screenshot(f"import-threats-{file_format}-02-register")
    saved = {
        (t.sector.code, t.title, t.category.code, t.likelihood, t.impact): t.marking
        for t in Threat.objects.select_related("sector", "category")
    }
    assert saved == dict.fromkeys(THREATS, "AMBER")
    ids = set(Threat.objects.values_list("pk", flat=True))

    # The same file again: every row is unchanged, and confirming creates nothing.
    open_import_page(page, base, "threats")
    upload(page, name, mime, data)
    assert_dry_run(page, base, "threats", "変更なし", THREATS)
    screenshot(f"import-threats-{file_format}-03-again")
    page.get_by_role("button", name="この内容で取り込む").click()
    page.wait_for_url(f"{base}/threats/")
    assert success_message(page) == f"取り込みました：新規0件、変更0件、変更なし{len(THREATS)}件。"
    assert set(Threat.objects.values_list("pk", flat=True)) == ids


def test_import_actions_cancel_then_confirm(live_server, world, page, screenshot):
    base = live_server.url
    official = world["official"]
    due = timezone.localdate() + datetime.timedelta(days=60)
    actions = [
        ("semiconductors", "退職時手続きのベストプラクティスを共有する", official.username, due),
        ("semiconductors", "高純度材料の代替調達先を調査する", official.email, due),
    ]
    data = csv_file(("sector", "title", "owner", "due_on"), actions)
    sign_in(page, live_server, official)
    open_import_page(page, base, "actions")

    upload(page, "アクション.csv", "text/csv", data)
    assert_dry_run(page, base, "actions", "新規", actions)
    screenshot("import-actions-01-dry-run")

    # Cancel: the empty import page, and nothing saved.
    page.locator("section[aria-labelledby=import-plan]").get_by_role(
        "link", name="キャンセル"
    ).click()
    page.wait_for_url(f"{base}/import/actions/")
    assert page.locator("#import-plan").count() == 0
    assert not FollowUpAction.objects.exists()

    upload(page, "アクション.csv", "text/csv", data)
    assert_dry_run(page, base, "actions", "新規", actions)
    page.get_by_role("button", name="この内容で取り込む").click()
    page.wait_for_url(f"{base}/actions/")
    assert success_message(page) == f"取り込みました：新規{len(actions)}件、変更0件、変更なし0件。"
    for _, title, *_ in actions:
        assert page.get_by_role("link", name=title, exact=True).is_visible()
    screenshot("import-actions-02-tracker")
    assert {(a.title, a.owner, a.due_on) for a in FollowUpAction.objects.all()} == {
        (title, official, due) for _, title, *_ in actions
    }
