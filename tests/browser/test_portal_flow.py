"""Flow 2 of DOMAIN.md in a real browser: from the invitation e-mail to the official's reply.

An official invites a person of a semiconductor company; the person opens the link
from the e-mail, sets a password, submits a concern (code 2-2) with a PDF
attachment; an official answers on the thread (through the service); the answer
appears in the portal. Screenshots go to test-artifacts/portal-*.png.
"""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from dialogue.enums import Marking
from dialogue.models import Concern, Sector, ThreatCategory
from dialogue.services.concerns import concern_message_post
from dialogue.services.invitations import invitation_create
from tests import factories as f
from tests.browser.conftest import ARTIFACTS
from tests.support.auth import PASSWORD as FACTORY_PASSWORD

PASSWORD = "Kumo-no-ue-2026!"
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture
def flow_data(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_reference_data", stdout=io.StringIO())
    semiconductors = Sector.objects.get(code="semiconductors")
    official = f.OfficialFactory(
        username="semi_official", last_name="半田", first_name="一郎", sectors=[semiconductors]
    )
    organization = f.OrganizationFactory(
        name="株式会社ひかり素材", name_en="Hikari Materials Co., Ltd.", sectors=[semiconductors]
    )
    return {"official": official, "organization": organization, "sector": semiconductors}


def test_invited_company_user_submits_a_concern_and_reads_the_officials_reply(
    live_server, flow_data, page, screenshot, settings
):
    settings.SITE_URL = live_server.url
    official = flow_data["official"]

    # The official invites a person; the link is in the e-mail (in Japanese by default).
    mail.outbox.clear()
    invitation_create(
        inviter=official, organization=flow_data["organization"], email="sato@hikari.example.jp"
    )
    [invitation_mail] = mail.outbox
    link = re.search(r"https?://\S+/portal/join/\S+/", invitation_mail.body).group(0)
    assert "株式会社ひかり素材" in invitation_mail.body

    # Opening the link lands on a page without the token in its address.
    page.goto(link)
    assert page.url.endswith("/portal/join/")
    assert page.locator("html").get_attribute("lang") == "ja"
    page.locator("#id_last_name").fill("佐藤")
    page.locator("#id_first_name").fill("花子")
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    screenshot("portal-01-join")
    page.locator("form.form button[type=submit]").click()

    # Signed in: the portal's start page with its own navigation.
    page.wait_for_url(re.compile(r"/portal/$"))
    assert page.locator(".site-header--portal").is_visible()
    assert page.locator("nav.site-nav").is_visible()
    screenshot("portal-02-home")

    # Submit a concern with a PDF attachment.
    page.locator("nav.site-nav a[href='/portal/concerns/new/']").click()
    page.wait_for_url(re.compile(r"/portal/concerns/new/$"))
    page.locator("#id_sector").select_option(str(flow_data["sector"].pk))
    code = ThreatCategory.objects.get(code="2-2")
    page.locator(f"#id_category_{code.pk}").check()
    page.locator(f"#id_category_{code.pk}").locator("xpath=../..").locator("summary").click()
    page.locator("#id_title").fill("ガリウム輸出規制による調達への影響")
    page.locator("#id_description").fill(
        "中国のガリウム関連品目の輸出管理により、主要な取引先からの調達が滞っています。"
    )
    page.locator("#id_desired_support").select_option("information")
    assert page.locator("#id_marking").input_value() == "AMBER+STRICT"
    screenshot("portal-03-submit-form")

    # A program renamed to .pdf is refused with a clear message; the form keeps the text.
    page.locator("#id_attachments").set_input_files(
        files=[{"name": "請求書.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00"}]
    )
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    assert "請求書.pdf" in page.locator("#id_attachments_errors").inner_text()
    assert page.locator("#id_title").input_value() == "ガリウム輸出規制による調達への影響"
    assert page.locator(f"#id_category_{code.pk}").is_checked()
    assert not Concern.objects.exists()
    screenshot("portal-04-refused-file")

    page.locator("#id_attachments").set_input_files(
        files=[{"name": "報告書.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.locator("form.form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/portal/concerns/\d{4}-\d{4,}/$"))
    concern = Concern.objects.get()
    assert concern.category.code == "2-2"
    assert concern.attachments.get().original_name == "報告書.pdf"
    assert page.locator("h1").inner_text() == "ガリウム輸出規制による調達への影響"
    assert page.get_by_role("link", name="報告書.pdf").is_visible()
    screenshot("portal-05-submitted")

    # The sector's official was told (with a link, not the AMBER+STRICT content).
    official_mail = [m for m in mail.outbox if official.email in m.to]
    assert official_mail and "ガリウム" not in official_mail[0].body

    # An official answers on the thread.
    concern_message_post(
        concern=concern,
        author=official,
        body="ご相談ありがとうございます。輸出管理の対象品目と代替調達先について情報を共有します。",
    )
    page.reload()
    reply = page.locator(".thread__message--official")
    assert "代替調達先について情報を共有します" in reply.inner_text()
    screenshot("portal-06-reply")

    # The list shows the concern with its status; English on request.
    page.locator("nav.site-nav a[href='/portal/concerns/']").click()
    page.locator("button.lang-switch__button[value=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "ガリウム輸出規制による調達への影響" in page.locator("table").inner_text()
    screenshot("portal-07-list-en")

    # Alerts and guidance for the organization's sectors and the concern's threat code.
    page.locator("nav.site-nav a[href='/portal/guidance/']").click()
    assert "Export controls on gallium- and germanium-related items" in page.content()
    screenshot("portal-08-guidance-en")


def sign_in(page, live_server, username, password=FACTORY_PASSWORD):
    page.goto(f"{live_server.url}/portal/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form.form button[type=submit]").click()


def test_portal_admin_deactivates_a_colleague_and_an_owner_closes_an_action(
    live_server, flow_data, browser, settings
):
    settings.SITE_URL = live_server.url
    organization = flow_data["organization"]
    admin = f.CompanyUserFactory(
        username="admin@hikari.example.jp",
        email="admin@hikari.example.jp",
        organization=organization,
        is_org_admin=True,
        last_name="山田",
        first_name="太郎",
    )
    colleague = f.CompanyUserFactory(
        username="kato@hikari.example.jp",
        email="kato@hikari.example.jp",
        organization=organization,
        last_name="加藤",
    )
    action = f.FollowUpActionFactory(
        title="代替調達先の候補を洗い出す",
        description="ガリウム系材料について、国内外の代替調達先候補を3社以上挙げる。",
        sector=flow_data["sector"],
        owner=admin,
        owner_organization=organization,
        marking=Marking.AMBER,
    )
    contexts = [browser.new_context(viewport={"width": 1366, "height": 900}) for _ in range(2)]
    admin_page, colleague_page = (context.new_page() for context in contexts)

    # The colleague is signed in elsewhere.
    sign_in(colleague_page, live_server, colleague.username)
    colleague_page.wait_for_url(re.compile(r"/portal/$"))

    # The admin deactivates the colleague from the Colleagues page.
    sign_in(admin_page, live_server, admin.username)
    admin_page.wait_for_url(re.compile(r"/portal/$"))
    admin_page.locator("nav.site-nav a[href='/portal/colleagues/']").click()
    row = admin_page.locator("tr", has_text="加藤")
    row.locator("button").click()
    admin_page.wait_for_url(re.compile(r"/portal/colleagues/$"))
    assert "加藤" in admin_page.locator(".messages").inner_text()
    _shot(admin_page, "portal-09-colleagues")

    # The colleague's open session has ended at once.
    colleague_page.reload()
    assert "/portal/login/" in colleague_page.url

    # The admin owns an action: closing it as done needs a note.
    admin_page.goto(f"{live_server.url}/portal/actions/{action.pk}/")
    admin_page.locator("#id_status").select_option("done")
    admin_page.locator("form.form button[type=submit]").click()
    assert admin_page.locator("#id_note_errors").is_visible()
    admin_page.locator("#id_status").select_option("done")
    admin_page.locator("#id_note").fill("国内2社・海外1社を候補として整理し、担当官に共有した。")
    admin_page.locator("form.form button[type=submit]").click()
    admin_page.wait_for_url(re.compile(rf"/portal/actions/{action.pk}/$"))
    assert "国内2社・海外1社" in admin_page.content()
    _shot(admin_page, "portal-10-action-done")

    # Five wrong passwords lock the account, with a page that says so.
    for _ in range(5):
        sign_in(colleague_page, live_server, admin.username, "wrong-password")
    assert colleague_page.locator(".auth[role=alert]").is_visible()
    assert not colleague_page.locator("#id_password").is_visible()
    _shot(colleague_page, "portal-11-locked-out")
    for context in contexts:
        context.close()


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
