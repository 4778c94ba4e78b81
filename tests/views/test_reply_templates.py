"""Reply templates: an official answering a concern starts from a template of the concern's
sector (or one for every sector); the company never sees them."""

import pytest
from django.urls import reverse

from dialogue.models import ConcernMessage, ReplyTemplate
from tests import factories as f
from tests.support.auth import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(semiconductors, code):
    organization = f.OrganizationFactory(sectors=[semiconductors])
    return f.ConcernFactory(organization=organization, sector=semiconductors, category=code("2-2"))


@pytest.fixture
def templates(semiconductors, batteries):
    return {
        "semi": ReplyTemplate.objects.create(
            sector=semiconductors,
            title="輸出規制の照会への一次回答",
            body="ご相談ありがとうございます。該非判定について担当から追ってご連絡します。",
        ),
        "every": ReplyTemplate.objects.create(
            title="受付のお知らせ", body="ご相談を受け付けました。三営業日以内に回答します。"
        ),
        "batt": ReplyTemplate.objects.create(
            sector=batteries, title="黒鉛の調達に関する回答", body="黒鉛の代替調達先について。"
        ),
    }


def detail(client, concern, **query):
    return client.get(reverse("workspace:concern-detail", args=[concern.pk]), query)


def test_the_concerns_sector_templates_and_the_general_ones_are_offered(
    as_semi, concern, templates
):
    page = detail(as_semi, concern).content.decode()
    assert "輸出規制の照会への一次回答" in page
    assert "受付のお知らせ" in page
    assert "黒鉛の調達に関する回答" not in page  # another sector's


def test_choosing_a_template_opens_the_reply_box_with_its_text_and_posting_sends_it(
    as_semi, concern, templates
):
    response = detail(as_semi, concern, reply_template=templates["semi"].pk)
    form = response.context["message_form"]
    assert form.initial["body"] == templates["semi"].body
    assert templates["semi"].body in response.content.decode()

    edited = templates["semi"].body + "\n担当：半田"
    as_semi.post(
        reverse("workspace:concern-message", args=[concern.pk]),
        {"body": edited, "visibility": "reply"},
    )
    assert ConcernMessage.objects.get(concern=concern).body == edited


def test_another_sectors_template_cannot_be_chosen_through_the_address(as_semi, concern, templates):
    response = detail(as_semi, concern, reply_template=templates["batt"].pk)
    assert response.context["message_form"].initial.get("body") is None
    assert templates["batt"].body not in response.content.decode()


def test_companies_never_see_reply_templates(concern, templates):
    company = f.CompanyUserFactory(organization=concern.organization)
    assert not ReplyTemplate.objects.visible_to(company).exists()
    page = signed_in(company).get(reverse("portal:concern-detail", args=[concern.reference]))
    assert page.status_code == 200
    assert "受付のお知らせ" not in page.content.decode()
