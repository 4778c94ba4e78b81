"""Company users see their organization's reference number (2026-0001), never the global id.

The global id counts every company's concerns: a company seeing "#57" on its first
concern would learn that 56 concerns came before it. Here 56 concerns of other
companies come first, so company A's first concern has a large id, and no portal page,
redirect, message or e-mail may show it.
"""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dialogue.enums import ConcernStatus, Marking
from dialogue.models import Concern, FollowUpAction
from dialogue.services.concerns import concern_change_status, concern_message_post
from tests import factories as f
from tests.support.auth import signed_in

YEAR = timezone.localdate().year
OTHERS = 56


@pytest.fixture
def numbered(world, semiconductors):
    """Company A's first concern of the year, after 56 concerns of another company."""
    other = f.OrganizationFactory(sectors=[semiconductors])
    submitter = f.CompanyUserFactory(organization=other)
    Concern.objects.bulk_create(
        Concern(
            organization=other,
            submitted_by=submitter,
            sector=semiconductors,
            category=world["concern"].category,
            title=f"他社の懸念{n}",
            description="…",
            desired_support="information",
            reference=f"{YEAR}-{n:04d}",
        )
        for n in range(1, OTHERS + 1)
    )
    # world["concern"] is A's 0001; this is A's 0002, with an id above 56.
    concern = f.ConcernFactory(
        organization=world["org_a"],
        submitted_by=world["a"],
        sector=semiconductors,
        category=world["concern"].category,
        title="フォトレジストの調達",
        marking=Marking.AMBER_STRICT,
    )
    f.FollowUpActionFactory(
        title="代替調達先の確認",
        sector=semiconductors,
        owner=world["a"],
        owner_organization=world["org_a"],
        marking=Marking.AMBER,
        concern=concern,
    )
    assert concern.pk > OTHERS
    assert concern.reference == f"{YEAR}-0002"
    return concern


def assert_no_global_id(text: str, concern) -> None:
    for leak in (f"#{concern.pk}", f"concerns/{concern.pk}/", f"concern #{concern.pk}"):
        assert leak not in text, leak


@pytest.mark.django_db
def test_portal_pages_show_the_reference_and_never_the_global_id(world, numbered):
    client = signed_in(world["a"])
    action = FollowUpAction.objects.get(concern=numbered)
    pages = [
        reverse("portal:home"),
        reverse("portal:concern-list"),
        reverse("portal:concern-detail", kwargs={"reference": numbered.reference}),
        reverse("portal:concern-withdraw", kwargs={"reference": numbered.reference}),
        reverse("portal:action-detail", kwargs={"pk": action.pk}),  # its source concern
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert numbered.reference in body, url
        assert_no_global_id(body, numbered)

    detail = client.get(f"/portal/concerns/{numbered.reference}/").content.decode()
    assert f"<title>{numbered.reference} フォトレジストの調達" in detail
    assert f"/portal/concerns/{numbered.reference}/reply/" in detail


@pytest.mark.django_db
def test_the_global_id_opens_nothing_in_the_portal(world, numbered):
    client = signed_in(world["a"])
    assert client.get(f"/portal/concerns/{numbered.pk}/").status_code == 404
    # a number only another organization has is "not found", like a number nobody has
    assert Concern.objects.filter(reference=f"{YEAR}-0056").exists()
    assert client.get(f"/portal/concerns/{YEAR}-0056/").status_code == 404


@pytest.mark.django_db
def test_submitting_redirects_and_confirms_with_the_reference(
    world, numbered, code, django_capture_on_commit_callbacks
):
    client = signed_in(world["a"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:concern-create"),
            {
                "sector": world["concern"].sector_id,
                "category": code("2-1").pk,
                "title": "原料の供給途絶",
                "description": "主要原料の調達先が輸出を停止しました。",
                "desired_support": "information",
                "marking": Marking.AMBER_STRICT,
                "submission_key": "5f0e6d2c-1c2b-4a7e-9f55-2d1f0a9b7c01",
            },
            follow=True,
        )
    new = Concern.objects.get(title="原料の供給途絶")
    assert new.reference == f"{YEAR}-0003"
    assert response.redirect_chain[-1][0] == f"/portal/concerns/{YEAR}-0003/"
    body = response.content.decode()
    assert f"{YEAR}-0003" in body
    assert_no_global_id(body, new)
    # the officials' notice keeps the global id they work with
    [to_official] = [m for m in mail.outbox if world["official"].email in m.to]
    assert f"#{new.pk}" in to_official.subject
    assert f"/concerns/{new.pk}/" in to_official.body


@pytest.mark.django_db
def test_e_mails_to_the_company_carry_the_reference_and_officials_the_id(
    world, numbered, django_capture_on_commit_callbacks
):
    # when: an official replies (the concern is then answered) and closes it
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        concern_message_post(concern=numbered, author=world["official"], body="回答します。")
    with django_capture_on_commit_callbacks(execute=True):
        concern_change_status(
            concern=numbered, actor=world["official"], status=ConcernStatus.CLOSED
        )

    # then: every e-mail to the company names the concern by its reference only
    to_company = [m for m in mail.outbox if world["a"].email in m.to]
    assert len(to_company) == 2
    for message in to_company:
        html = message.alternatives[0][0]
        for text in (message.subject, message.body, html):
            assert_no_global_id(text, numbered)
        assert numbered.reference in message.subject
        assert f"/portal/concerns/{numbered.reference}/" in message.body
        assert f"{numbered.reference}（TLP:AMBER+STRICT" in message.body


@pytest.mark.django_db
def test_officials_see_both_numbers(world, numbered, django_capture_on_commit_callbacks):
    client = signed_in(world["official"])
    detail = client.get(reverse("workspace:concern-detail", args=[numbered.pk])).content.decode()
    assert f"#{numbered.pk}" in detail and numbered.reference in detail
    inbox = client.get(reverse("workspace:concern-list") + "?status=").content.decode()
    assert f"#{numbered.pk}" in inbox and numbered.reference in inbox
