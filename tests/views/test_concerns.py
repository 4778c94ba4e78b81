"""The concern inbox: default view, thread with internal notes, assign, link, status, budget."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogue.enums import ConcernStatus, Marking
from dialogue.models import Concern, ConcernMessage, Threat
from dialogue.services.concerns import concern_message_post
from tests import factories as f
from tests.support.auth import signed_in
from tests.support.files import PDF
from tests.support.query_ceilings import assert_within_ceiling


@pytest.fixture
def organization(semiconductors):
    return f.OrganizationFactory(name="株式会社半導体材料", sectors=[semiconductors])


@pytest.fixture
def concern(semiconductors, organization, code):
    return f.ConcernFactory(
        title="新たな輸出規制への懸念",
        organization=organization,
        sector=semiconductors,
        category=code("2-2"),
    )


def titles(response) -> list[str]:
    return sorted(c.title for c in response.context["listing"].page.object_list)


@pytest.mark.django_db
def test_inbox_opens_on_untriaged_concerns_of_my_sectors(
    as_semi, concern, semiconductors, batteries
):
    f.ConcernFactory(title="対応中", sector=semiconductors, status=ConcernStatus.IN_PROGRESS)
    f.ConcernFactory(title="電池の懸念", sector=batteries)
    f.ConcernFactory(title="電池の共有", sector=batteries, marking=Marking.GREEN)
    url = reverse("workspace:concern-list")
    assert titles(as_semi.get(url)) == ["新たな輸出規制への懸念"]
    assert titles(as_semi.get(url, {"status": "in_progress"})) == ["対応中"]
    # "All I may see" includes GREEN concerns of other sectors, never AMBER+STRICT ones.
    assert titles(as_semi.get(url, {"scope": ""})) == [
        "対応中",
        "新たな輸出規制への懸念",
        "電池の共有",
    ]
    assert titles(as_semi.get(url, {"category": "2", "scope": "mine"})) == [
        "対応中",
        "新たな輸出規制への懸念",
    ]


@pytest.mark.django_db
def test_reply_and_internal_note_and_who_sees_them(as_semi, semi_official, concern):
    url = reverse("workspace:concern-message", args=[concern.pk])
    as_semi.post(url, {"body": "ご相談ありがとうございます。", "visibility": "reply"})
    as_semi.post(url, {"body": "社内メモ：規制対象か要確認", "visibility": "internal"})
    assert list(ConcernMessage.objects.order_by("pk").values_list("is_internal", flat=True)) == [
        False,
        True,
    ]
    page = as_semi.get(reverse("workspace:concern-detail", args=[concern.pk])).content.decode()
    assert "thread__message--internal" in page
    assert "社内メモ" in page

    # The company's users never get the internal note: not in the queryset their pages use.
    company = f.CompanyUserFactory(organization=concern.organization)
    bodies = list(
        ConcernMessage.objects.visible_to(company)
        .filter(concern=concern)
        .values_list("body", flat=True)
    )
    assert bodies == ["ご相談ありがとうございます。"]
    # And a company user cannot write one.
    from dialogue.services.common import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        concern_message_post(concern=concern, author=company, body="x", is_internal=True)


@pytest.mark.django_db
def test_an_official_attaches_a_file_to_a_reply_and_the_company_downloads_it(
    as_semi, concern, organization
):
    url = reverse("workspace:concern-message", args=[concern.pk])
    response = as_semi.post(
        url,
        {
            "body": "規制の概要資料を添付します。",
            "visibility": "reply",
            "attachments": [SimpleUploadedFile("規制の概要.pdf", PDF)],
        },
    )

    assert response.status_code == 302
    [attachment] = concern.attachments.all()
    assert attachment.message.body == "規制の概要資料を添付します。"
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ANSWERED  # the status followed the reply
    company = signed_in(f.CompanyUserFactory(organization=organization))
    page = company.get(reverse("portal:concern-detail", args=[concern.reference]))
    assert "規制の概要.pdf" in page.content.decode()


@pytest.mark.django_db
def test_a_refused_file_keeps_the_reply_unsaved_and_says_why(as_semi, concern):
    url = reverse("workspace:concern-message", args=[concern.pk])
    response = as_semi.post(
        url,
        {
            "body": "添付します。",
            "visibility": "reply",
            "attachments": [SimpleUploadedFile("資料.pdf", b"MZ\x90\x00 not a pdf")],
        },
    )

    assert response.status_code == 400
    assert response.context["message_form"].errors["attachments"]
    assert response.context["message_form"]["body"].value() == "添付します。"
    assert not ConcernMessage.objects.filter(concern=concern).exists()
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.SUBMITTED


@pytest.mark.django_db
def test_assign_to_an_official_of_the_sector_only(as_semi, semi_official, concern, batt_official):
    url = reverse("workspace:concern-assign", args=[concern.pk])
    refused = as_semi.post(url, {"assigned_to": batt_official.pk, "version": concern.version})
    assert refused.status_code == 400
    assert "assigned_to" in refused.context["assign_form"].errors
    ok = as_semi.post(url, {"assigned_to": semi_official.pk, "version": concern.version})
    assert ok.status_code == 302
    concern.refresh_from_db()
    assert concern.assigned_to == semi_official
    stale = as_semi.post(url, {"assigned_to": "", "version": 1})
    assert stale.status_code == 400
    concern.refresh_from_db()
    assert concern.assigned_to == semi_official


@pytest.mark.django_db
def test_status_link_threat_and_prefilled_threat_and_action(as_semi, concern, semiconductors, code):
    as_semi.post(
        reverse("workspace:concern-status", args=[concern.pk]),
        {"status": "triaged", "version": concern.version},
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.TRIAGED

    threat = f.ThreatFactory(sector=semiconductors, category=code("2-2"))
    as_semi.post(reverse("workspace:concern-link-threat", args=[concern.pk]), {"threat": threat.pk})
    threat.refresh_from_db()
    assert threat.source_concern == concern

    new_threat = as_semi.get(reverse("workspace:threat-create") + f"?concern={concern.pk}")
    assert new_threat.context["form"].initial["category"] == "2-2"
    new_action = as_semi.get(reverse("workspace:action-create") + f"?concern={concern.pk}")
    initial = new_action.context["form"].initial
    assert (initial["concern"], initial["sector"]) == (concern.pk, semiconductors.pk)


@pytest.mark.django_db
def test_attachments_link_to_the_checked_download(as_semi, concern):
    attachment = f.ConcernAttachmentFactory(concern=concern)
    page = as_semi.get(reverse("workspace:concern-detail", args=[concern.pk])).content.decode()
    href = reverse(
        "api:concern-attachment-download", kwargs={"concern_pk": concern.pk, "pk": attachment.pk}
    )
    assert href in page
    assert "報告書.pdf" in page


@pytest.mark.django_db
def test_another_sectors_official_gets_404(as_batt, concern):
    assert as_batt.get(reverse("workspace:concern-detail", args=[concern.pk])).status_code == 404
    for name, data in [
        ("concern-message", {"body": "x", "visibility": "reply"}),
        ("concern-status", {"status": "triaged", "version": 1}),
        ("concern-assign", {"assigned_to": "", "version": 1}),
        ("concern-link-threat", {"threat": 1}),
    ]:
        assert (
            as_batt.post(reverse(f"workspace:{name}", args=[concern.pk]), data).status_code == 404
        )
    assert ConcernMessage.objects.count() == 0


@pytest.mark.django_db
def test_csrf_and_escaping(semi_official, concern):
    client = signed_in(semi_official, enforce_csrf_checks=True)
    url = reverse("workspace:concern-message", args=[concern.pk])
    assert client.post(url, {"body": "x", "visibility": "reply"}).status_code == 403
    concern_message_post(
        concern=concern,
        author=semi_official,
        body='<script>alert(1)</script>"><svg onload=alert(1)>',
    )
    page = client.get(reverse("workspace:concern-detail", args=[concern.pk])).content.decode()
    assert "<script>alert" not in page
    assert "<svg" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["as_semi", "as_secretariat"])
def test_pages_render(request, who, concern):
    client = request.getfixturevalue(who)
    for url in [
        reverse("workspace:concern-list"),
        reverse("workspace:concern-list") + "?assigned=none&sector=semiconductors",
        reverse("workspace:concern-detail", args=[concern.pk]),
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_rows(as_semi, concern, semiconductors):
    url = reverse("workspace:concern-list")
    as_semi.get(url)
    with CaptureQueriesContext(connection) as one:
        as_semi.get(url)
    f.ConcernFactory.create_batch(49, sector=semiconductors)
    with CaptureQueriesContext(connection) as fifty:
        response = as_semi.get(url)
    assert len(response.context["listing"].page.object_list) == 50
    assert len(one.captured_queries) == len(fifty.captured_queries)
    assert Threat.objects.count() == 0
    print(f"concern list: {len(one)} queries at 1 row, {len(fifty)} at 50")
    assert_within_ceiling("workspace:concern-list", len(fifty.captured_queries))


@pytest.mark.django_db
def test_a_concern_unanswered_past_its_target_is_flagged_until_answered(
    as_semi, semi_official, concern, settings
):
    settings.CONCERN_FIRST_RESPONSE_BUSINESS_DAYS = 3
    Concern.objects.filter(pk=concern.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=14)
    )
    inbox = reverse("workspace:concern-list")

    late = as_semi.get(inbox, {"scope": "mine", "response": "overdue"})
    assert titles(late) == ["新たな輸出規制への懸念"]
    assert "期限切れ" in late.content.decode()

    # An internal note is not an answer; a reply to the company is.
    concern_message_post(concern=concern, author=semi_official, body="内部", is_internal=True)
    assert titles(as_semi.get(inbox, {"scope": "mine", "response": "overdue"})) == [
        "新たな輸出規制への懸念"
    ]
    concern_message_post(concern=concern, author=semi_official, body="回答します。")
    assert titles(as_semi.get(inbox, {"scope": "mine", "response": "overdue"})) == []
    concern.refresh_from_db()
    assert concern.first_answered_at is not None


@pytest.mark.django_db
def test_closing_a_concern_asks_first(as_semi, semi_official, concern):
    concern_message_post(concern=concern, author=semi_official, body="回答します。")
    concern.refresh_from_db()
    url = reverse("workspace:concern-status", args=[concern.pk])

    asked = as_semi.post(url, {"status": "closed", "version": concern.version})
    page = asked.content.decode()
    assert asked.status_code == 200 and "再開できません" in page
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ANSWERED

    done = as_semi.post(url, {"status": "closed", "version": concern.version, "confirmed": "yes"})
    assert done.status_code == 302
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED
