"""Outreach notices through the API: DOMAIN.md flow 6's last step — a notice about the
graphite export control, published to the batteries sector, reaches every battery
company and is shown as read by the company's user — in Japanese and in English."""

import pytest

from dialogue.models import ForeignMeasure, Notice, NoticeRead
from tests import factories as f
from tests.support.auth import token_client

GRAPHITE = "cn-export-control-graphite"
TEXT = {
    "ja": {"title": "黒鉛の輸出管理に関する周知", "error": "企業向けの周知"},
    "en": {"title": "Notice on the graphite export control", "error": "A notice to companies"},
}


@pytest.fixture
def battery_world(batteries, semiconductors):
    big = f.OrganizationFactory(name="蓄電池大手", sectors=[batteries], size_class="large")
    small = f.OrganizationFactory(name="蓄電池部材", sectors=[batteries], size_class="sme")
    chips = f.OrganizationFactory(name="半導体専業", sectors=[semiconductors])
    return {
        "official": f.OfficialFactory(username="batt_official", sectors=[batteries]),
        "semi_official": f.OfficialFactory(username="semi_official", sectors=[semiconductors]),
        "big": f.CompanyUserFactory(username="big_user", organization=big),
        "big_colleague": f.CompanyUserFactory(username="big_colleague", organization=big),
        "small": f.CompanyUserFactory(username="small_user", organization=small),
        "chips": f.CompanyUserFactory(username="chips_user", organization=chips),
    }


def notice_body(batteries_code="batteries", marking="GREEN") -> dict:
    graphite = ForeignMeasure.objects.get(reference_key=GRAPHITE)
    return {
        "kind": "measure_alert",
        "title_ja": TEXT["ja"]["title"],
        "title_en": TEXT["en"]["title"],
        "body_ja": "## 概要\n中国が黒鉛関連品目を輸出管理の対象としました。",
        "body_en": "## Summary\nChina placed graphite-related items under export control.",
        "sectors": [batteries_code],
        "size_classes": ["large", "sme"],
        "foreign_measures": [graphite.pk],
        "marking": marking,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_graphite_notice_to_batteries_reaches_every_battery_company_and_is_read(
    battery_world, language
):
    # given: the batteries official drafts the notice about the graphite measure
    official = token_client("batt_official")
    official.credentials(**official._credentials, HTTP_ACCEPT_LANGUAGE=language)
    created = official.post("/api/v1/notices/", notice_body(), format="json")
    assert created.status_code == 201, created.content
    notice = created.json()
    assert notice["status"] == "draft"
    assert notice["title"] == TEXT[language]["title"]

    # a draft reaches nobody
    big = token_client("big_user")
    assert big.get("/api/v1/notices/").json()["results"] == []

    # when: it is published
    published = official.post(
        f"/api/v1/notices/{notice['id']}/publish/", {"version": notice["version"]}, format="json"
    )
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"

    # then: every battery company's users see it, unread, with the measure linked
    for username in ("big_user", "big_colleague", "small_user"):
        client = token_client(username)
        client.credentials(**client._credentials, HTTP_ACCEPT_LANGUAGE=language)
        listed = client.get("/api/v1/notices/").json()["results"]
        assert [(n["id"], n["is_read"], n["title"]) for n in listed] == [
            (notice["id"], False, TEXT[language]["title"])
        ]
        assert listed[0]["foreign_measures"] == notice_body()["foreign_measures"]
    # ... and no one else: the semiconductor company gets "not found"
    chips = token_client("chips_user")
    assert chips.get("/api/v1/notices/").json()["results"] == []
    assert chips.get(f"/api/v1/notices/{notice['id']}/").status_code == 404
    assert chips.post(f"/api/v1/notices/{notice['id']}/read/").status_code == 404

    # when: the large company's user reads it
    receipt = big.post(f"/api/v1/notices/{notice['id']}/read/")
    assert receipt.status_code == 200, receipt.content

    # then: it is read for that user, not for their colleague; the official's reach says
    # one of the two battery companies has read it
    assert big.get(f"/api/v1/notices/{notice['id']}/").json()["is_read"] is True
    colleague = token_client("big_colleague").get(f"/api/v1/notices/{notice['id']}/").json()
    assert colleague["is_read"] is False
    assert NoticeRead.objects.filter(notice_id=notice["id"]).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_notice_above_green_cannot_target_companies(battery_world, language):
    official = token_client("batt_official")
    official.credentials(**official._credentials, HTTP_ACCEPT_LANGUAGE=language)
    answer = official.post("/api/v1/notices/", notice_body(marking="AMBER"), format="json")
    assert answer.status_code == 400
    assert TEXT[language]["error"] in answer.json()["marking"][0]
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_officials_write_notices_only_for_their_sectors_and_companies_not_at_all(battery_world):
    semi = token_client("semi_official")
    assert semi.post("/api/v1/notices/", notice_body(), format="json").status_code == 403
    company = token_client("big_user")
    assert company.post("/api/v1/notices/", notice_body(), format="json").status_code == 403
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_an_unknown_size_class_is_a_field_error(battery_world):
    official = token_client("batt_official")
    body = {**notice_body(), "size_classes": ["huge"]}
    answer = official.post("/api/v1/notices/", body, format="json")
    assert answer.status_code == 400
    assert "size_classes" in answer.json()
