"""Submitting, following, answering and withdrawing a concern in the portal."""

import uuid

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dialogue.enums import ConcernStatus, Marking
from dialogue.models import Concern, ConcernMessage, PortalSubmission, ThreatCategory
from dialogue.services import submissions
from dialogue.services.concerns import concern_message_post
from dialogue.services.submissions import concern_submit_once
from tests import factories as f
from tests.portal.conftest import media_files
from tests.support.auth import signed_in
from tests.support.files import PDF

CREATE = reverse("portal:concern-create")


def concern_data(world, code, **overrides) -> dict:
    data = {
        "sector": world["concern"].sector_id,
        "category": code("2-2").pk,
        "title": "新たな輸出管理への懸念",
        "description": "主要な取引先から該非判定の確認を求められています。",
        "desired_support": "information",
        "marking": Marking.AMBER_STRICT,
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def pdf(name="報告書.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- submitting ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_company_user_submits_a_concern_with_a_pdf(
    world, code, settings, django_capture_on_commit_callbacks
):
    client = signed_in(world["a"])
    before = media_files(settings)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CREATE, {**concern_data(world, code), "attachments": [pdf()]})

    concern = Concern.objects.exclude(pk=world["concern"].pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portal:concern-detail", kwargs={"reference": concern.reference}
    )
    assert concern.organization == world["org_a"]
    assert concern.submitted_by == world["a"]
    assert concern.marking == Marking.AMBER_STRICT
    assert concern.status == ConcernStatus.SUBMITTED
    [attachment] = concern.attachments.all()
    assert attachment.original_name == "報告書.pdf"
    assert attachment.content_type == "application/pdf"
    # Stored under a generated name inside MEDIA_ROOT, never under the user's name.
    assert attachment.file.name.startswith(f"concerns/{concern.pk}/")
    assert "報告書" not in attachment.file.name
    [stored] = set(media_files(settings)) - set(before)
    assert stored == settings.MEDIA_ROOT / attachment.file.name
    # The sector's official is told, with a link and without the AMBER+STRICT content.
    [note] = [m for m in mail.outbox if world["official"].email in m.to]
    assert f"/concerns/{concern.pk}/" in note.body
    assert "新たな輸出管理への懸念" not in note.body


@pytest.mark.django_db
def test_the_form_defaults_to_amber_strict_and_explains_every_code_in_both_languages(world):
    page = signed_in(world["a"]).get(CREATE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<option value="AMBER+STRICT" selected>' in page
    assert 'enctype="multipart/form-data"' in page
    codes = list(ThreatCategory.objects.all())
    assert len(codes) == 16
    for category in codes:
        assert f'id="id_category_{category.pk}"' in page
        assert 'lang="ja"' in page and 'lang="en"' in page
        for text in (category.description_ja, category.description_en):
            assert text.replace("'", "&#x27;").replace('"', "&quot;") in page, category.code


@pytest.mark.django_db
def test_the_form_offers_the_organizations_sector_first(world):
    page = signed_in(world["a"]).get(CREATE).content.decode()
    assert f'<option value="{world["concern"].sector_id}" selected>' in page


@pytest.mark.django_db
def test_a_missing_field_is_a_clear_error_and_saves_nothing(world, code):
    data = concern_data(world, code, title="")
    response = signed_in(world["a"]).post(CREATE, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Concern.objects.count() == 1


# --- the same form sent twice --------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_form_sent_twice_creates_one_concern(world, code, settings):
    client = signed_in(world["a"])
    data = concern_data(world, code)
    before = len(media_files(settings))

    first = client.post(CREATE, {**data, "attachments": [pdf()]})
    second = client.post(CREATE, {**data, "attachments": [pdf()]})

    new = Concern.objects.exclude(pk=world["concern"].pk)
    assert new.count() == 1
    assert first["Location"] == second["Location"]
    assert new.get().attachments.count() == 1
    assert len(media_files(settings)) == before + 1  # the repeat stored no file either
    assert PortalSubmission.objects.filter(user=world["a"]).count() == 1


@pytest.mark.django_db
def test_a_new_form_is_a_new_concern(world, code):
    client = signed_in(world["a"])
    client.post(CREATE, concern_data(world, code))
    client.post(CREATE, concern_data(world, code))
    assert Concern.objects.exclude(pk=world["concern"].pk).count() == 2


@pytest.mark.django_db
def test_a_form_corrected_after_an_error_keeps_its_key_and_then_succeeds(world, code):
    client = signed_in(world["a"])
    data = concern_data(world, code)
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")

    refused = client.post(CREATE, {**data, "attachments": [bad]})
    accepted = client.post(CREATE, {**data, "attachments": [pdf()]})

    assert refused.status_code == 400
    assert data["submission_key"] in refused.content.decode()
    assert accepted.status_code == 302
    assert Concern.objects.exclude(pk=world["concern"].pk).count() == 1


@pytest.mark.django_db
def test_a_repeat_that_arrives_while_the_first_is_being_saved_gets_the_first_concern(
    world, code, monkeypatch
):
    # given: the first request has inserted its ledger row and created its concern
    key = uuid.uuid4()
    first, created = concern_submit_once(
        user=world["a"],
        submission_key=key,
        sector=world["concern"].sector,
        category=code("2-2"),
        title="一回目",
        description="d",
    )
    assert created
    # when: a repeat did not see that row yet (it looked just before the first committed)
    monkeypatch.setattr(submissions, "_earlier", _none_then(submissions._earlier))
    second, created = concern_submit_once(
        user=world["a"],
        submission_key=key,
        sector=world["concern"].sector,
        category=code("2-2"),
        title="二回目",
        description="d",
    )
    # then: the unique row refuses it, and it answers with the first concern
    assert not created
    assert second == first
    assert not Concern.objects.filter(title="二回目").exists()


def _none_then(real):
    calls = []

    def earlier(user, key):
        calls.append(key)
        return None if len(calls) == 1 else real(user, key)

    return earlier


# --- throttling -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_21st_concern_within_an_hour_is_refused_with_a_clear_message(world, code):
    client = signed_in(world["a"])
    for _ in range(20):
        assert client.post(CREATE, concern_data(world, code)).status_code == 302

    response = client.post(CREATE, concern_data(world, code), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    page = response.content.decode()
    assert "You have submitted 20 concerns within the last hour" in page
    assert "Please try again in" in page
    assert Concern.objects.filter(submitted_by=world["a"]).count() == 20 + 1  # + the fixture's
    # The same counter as the API's throttle (CONCERN_SUBMIT_RATE), so both count together.
    assert len(cache.get(f"throttle_concern_submit_{world['a'].pk}")) == 20
    # Another person of the same organization has their own allowance.
    assert (
        signed_in(world["a_colleague"]).post(CREATE, concern_data(world, code)).status_code == 302
    )


@pytest.mark.django_db
def test_refused_forms_and_repeats_do_not_count_against_the_limit(world, code):
    client = signed_in(world["a"])
    data = concern_data(world, code)
    client.post(CREATE, data)
    for _ in range(5):
        client.post(CREATE, data)  # repeats
        client.post(CREATE, concern_data(world, code, title=""))  # errors
    assert len(cache.get(f"throttle_concern_submit_{world['a'].pk}")) == 1


# --- the thread: reading and replying ----------------------------------------------------------


@pytest.mark.django_db
def test_the_thread_shows_official_replies_and_never_internal_notes(world):
    page = signed_in(world["a"]).get(
        reverse("portal:concern-detail", kwargs={"reference": world["concern"].reference})
    )
    body = page.content.decode()
    assert "ご相談ありがとうございます。" in body
    assert "INTERNAL-NOTE-SECRET" not in body
    assert "報告書.pdf" in body
    assert "internal.pdf" not in body


@pytest.mark.django_db
def test_colleagues_of_the_same_organization_follow_the_concern(world):
    page = signed_in(world["a_colleague"]).get(reverse("portal:concern-list")).content.decode()
    assert "ガリウム輸出規制の影響" in page


@pytest.mark.django_db
def test_replying_with_an_attachment(world, settings):
    concern = world["concern"]
    client = signed_in(world["a"])
    key = str(uuid.uuid4())
    url = reverse("portal:concern-reply", kwargs={"reference": concern.reference})
    before = len(media_files(settings))

    response = client.post(
        url, {"body": "追加資料です。", "submission_key": key, "attachments": [pdf("追加資料.pdf")]}
    )
    client.post(
        url, {"body": "追加資料です。", "submission_key": key, "attachments": [pdf("追加資料.pdf")]}
    )

    assert response.status_code == 302
    [message] = ConcernMessage.objects.filter(author=world["a"])
    assert not message.is_internal
    assert [a.original_name for a in message.attachments.all()] == ["追加資料.pdf"]
    page = client.get(
        reverse("portal:concern-detail", kwargs={"reference": concern.reference})
    ).content.decode()
    assert "追加資料です。" in page and "追加資料.pdf" in page
    assert len(media_files(settings)) == before + 1


@pytest.mark.django_db
def test_the_attachment_limit_counts_files_already_on_the_concern(world, settings):
    settings.ATTACHMENT_MAX_PER_CONCERN = 3  # two are there already (one is an internal note's)
    before = media_files(settings)
    url = reverse("portal:concern-reply", kwargs={"reference": world["concern"].reference})
    response = signed_in(world["a"]).post(
        url,
        {
            "body": "x",
            "submission_key": str(uuid.uuid4()),
            "attachments": [pdf("1.pdf"), pdf("2.pdf")],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "at most 3 attachments" in response.content.decode()
    assert not ConcernMessage.objects.filter(author=world["a"]).exists()
    assert media_files(settings) == before


@pytest.mark.django_db
def test_an_official_reply_is_mailed_to_the_organization_with_a_portal_link(
    world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        concern_message_post(concern=world["concern"], author=world["official"], body="回答です。")
    recipients = {address for m in mail.outbox for address in m.to}
    assert {world["a"].email, world["a_colleague"].email} <= recipients
    assert world["b"].email not in recipients
    [to_a] = [m for m in mail.outbox if world["a"].email in m.to]
    assert f"/portal/concerns/{world['concern'].reference}/" in to_a.body
    assert "回答です。" not in to_a.body


# --- withdrawing --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_withdrawing_asks_first_then_withdraws(world):
    concern = world["concern"]
    client = signed_in(world["a"])
    url = reverse("portal:concern-withdraw", kwargs={"reference": concern.reference})

    assert client.get(url).status_code == 200
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.TRIAGED

    response = client.post(url, {"version": concern.version})
    concern.refresh_from_db()
    assert response.status_code == 302
    assert concern.status == ConcernStatus.WITHDRAWN
    # A withdrawn concern takes no more replies and cannot be withdrawn again.
    page = client.get(
        reverse("portal:concern-detail", kwargs={"reference": concern.reference})
    ).content.decode()
    assert 'name="body"' not in page
    reply = client.post(
        reverse("portal:concern-reply", kwargs={"reference": concern.reference}),
        {"body": "まだ", "submission_key": str(uuid.uuid4())},
    )
    assert reply.status_code == 302
    assert not ConcernMessage.objects.filter(author=world["a"]).exists()


@pytest.mark.django_db
def test_withdrawing_a_concern_changed_meanwhile_changes_nothing(world):
    concern = world["concern"]
    url = reverse("portal:concern-withdraw", kwargs={"reference": concern.reference})
    response = signed_in(world["a"]).post(
        url, {"version": concern.version - 1 or 99}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.TRIAGED
    assert "changed while you were looking at it" in response.content.decode()


# --- downloads ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_download_is_an_attachment_with_the_name_safely_encoded(world):
    url = reverse("portal:attachment-download", kwargs={"pk": world["attachment"].pk})
    response = signed_in(world["a"]).get(url)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E5%A0%B1%E5%91%8A%E6%9B%B8.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- script in text fields ------------------------------------------------------------------------


SCRIPT = "<script>alert('x')</script>"


@pytest.mark.django_db
def test_script_in_any_text_field_is_shown_as_text(world, code):
    client = signed_in(world["a"])
    client.post(
        CREATE,
        concern_data(
            world,
            code,
            title=f"題名{SCRIPT}",
            description=f"説明{SCRIPT}",
            attachments=[pdf(f"<img src=x onerror=alert(1)>{SCRIPT}.pdf")],
        ),
    )
    concern = Concern.objects.get(title__startswith="題名")
    concern_message_post(concern=concern, author=world["official"], body=f"回答{SCRIPT}")
    client.post(
        reverse("portal:concern-reply", kwargs={"reference": concern.reference}),
        {"body": f"返信{SCRIPT}", "submission_key": str(uuid.uuid4())},
    )
    for url in (
        reverse("portal:concern-detail", kwargs={"reference": concern.reference}),
        reverse("portal:concern-list"),
        reverse("portal:home"),
        reverse("portal:concern-withdraw", kwargs={"reference": concern.reference}),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "<img src=x" not in page, url
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page, url


@pytest.mark.django_db
def test_script_in_a_mailed_title_is_escaped_in_the_html_email(
    world, code, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    client = signed_in(world["a"])
    # GREEN: the title may travel in the e-mail, so it is there, escaped in the HTML part.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CREATE, concern_data(world, code, title=f"題名{SCRIPT}", marking=Marking.GREEN))
    [note] = [m for m in mail.outbox if world["official"].email in m.to]
    html = note.alternatives[0][0]
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_a_company_user_of_another_organization_cannot_reply_through_the_service(world):
    from dialogue.services.common import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        concern_message_post(concern=world["concern"], author=world["b"], body="x")


@pytest.mark.django_db
def test_an_organization_without_concerns_sees_an_empty_list(world):
    page = signed_in(f.CompanyUserFactory()).get(reverse("portal:concern-list"))
    assert page.status_code == 200
    assert "ガリウム" not in page.content.decode()
