"""The API for company users: concerns by their organization's reference, never the global id.

56 concerns of another company come first, so company A's concern has a large id; no
response to company A may carry it (as `id`, in a link, a cursor or a related field).
"""

import base64
import json
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from dialogue.enums import Marking
from dialogue.models import Concern
from tests import factories as f
from tests.support.auth import signed_in_api as client_for

YEAR = timezone.localdate().year
OTHERS = 56


@pytest.fixture
def world(semiconductors, code):
    other = f.OrganizationFactory(sectors=[semiconductors])
    other_user = f.CompanyUserFactory(organization=other)
    Concern.objects.bulk_create(
        Concern(
            organization=other,
            submitted_by=other_user,
            sector=semiconductors,
            category=code("2-2"),
            title=f"他社の懸念{n}",
            description="…",
            desired_support="information",
            reference=f"{YEAR}-{n:04d}",
        )
        for n in range(1, OTHERS + 1)
    )
    org = f.OrganizationFactory(sectors=[semiconductors])
    company = f.CompanyUserFactory(organization=org)
    official = f.OfficialFactory(sectors=[semiconductors])
    first = f.ConcernFactory(organization=org, submitted_by=company, sector=semiconductors)
    concern = f.ConcernFactory(organization=org, submitted_by=company, sector=semiconductors)
    f.ConcernAttachmentFactory(concern=concern, uploaded_by=company)
    f.FollowUpActionFactory(
        sector=semiconductors,
        owner=company,
        owner_organization=org,
        concern=concern,
        marking=Marking.AMBER,
    )
    assert concern.pk > OTHERS and concern.reference == f"{YEAR}-0002"
    return {"company": company, "official": official, "concern": concern, "first": first}


def global_ids(concern) -> list[str]:
    return [f'"id": {concern.pk}', f"concerns/{concern.pk}/", f'"concern": {concern.pk}']


def assert_no_global_id(response, *concerns) -> None:
    text = json.dumps(response.json(), ensure_ascii=False)
    for concern in concerns:
        for leak in global_ids(concern):
            assert leak not in text, leak


@pytest.mark.django_db
def test_company_users_read_concerns_by_reference_without_ids(world):
    client = client_for(world["company"])
    concern = world["concern"]

    listed = client.get("/api/v1/concerns/")
    assert listed.status_code == 200
    results = listed.json()["results"]
    assert [c["reference"] for c in results] == [f"{YEAR}-0002", f"{YEAR}-0001"]
    assert all("id" not in c for c in results)
    assert_no_global_id(listed, concern, world["first"])

    detail = client.get(f"/api/v1/concerns/{concern.reference}/")
    assert detail.status_code == 200
    assert detail.json()["reference"] == concern.reference and "id" not in detail.json()
    assert detail["ETag"] == '"1"'

    files = client.get(f"/api/v1/concerns/{concern.reference}/attachments/")
    [attachment] = files.json()
    assert f"/api/v1/concerns/{concern.reference}/attachments/" in attachment["download_url"]
    assert client.get(attachment["download_url"]).status_code == 200
    assert_no_global_id(files, concern)

    actions = client.get("/api/v1/actions/")
    assert [a["concern"] for a in actions.json()["results"]] == [concern.reference]
    assert_no_global_id(actions, concern)


@pytest.mark.django_db
def test_a_global_id_names_nothing_for_a_company_user(world):
    client = client_for(world["company"])
    concern = world["concern"]
    for url in (
        f"/api/v1/concerns/{concern.pk}/",
        f"/api/v1/concerns/{concern.pk}/messages/",
        f"/api/v1/concerns/{concern.pk}/attachments/",
        f"/api/v1/concerns/{YEAR}-0056/",  # only the other company has a 0056
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_list_cursors_do_not_encode_the_global_id(world):
    client = client_for(world["company"])
    for ordering in ("", "id", "-id"):
        page = client.get(f"/api/v1/concerns/?page_size=1&ordering={ordering}").json()
        cursor = parse_qs(urlparse(page["next"]).query)["cursor"][0]
        position = parse_qs(base64.b64decode(cursor + "==").decode())
        values = [value for values in position.values() for value in values]
        # A position by id would be a bare number (a timestamp may hold the id's digits).
        assert str(world["concern"].pk) not in values, ordering
        assert not any(value.isdigit() for value in values), (ordering, position)
        assert "id" not in page["results"][0]


@pytest.mark.django_db
def test_a_submission_answers_with_the_reference(world, semiconductors):
    response = client_for(world["company"]).post(
        "/api/v1/concerns/",
        {
            "sector": semiconductors.pk,
            "category": "2-1",
            "title": "原料の供給途絶",
            "description": "主要原料の調達先が輸出を停止しました。",
            "desired_support": "information",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["reference"] == f"{YEAR}-0003"
    assert "id" not in response.json()
    assert response["ETag"] == '"1"'


@pytest.mark.django_db
def test_officials_get_both_the_id_and_the_reference(world):
    client = client_for(world["official"])
    concern = world["concern"]
    detail = client.get(f"/api/v1/concerns/{concern.pk}/").json()
    assert (detail["id"], detail["reference"]) == (concern.pk, concern.reference)
    # a reference is not unique across organizations: officials address concerns by id
    assert client.get(f"/api/v1/concerns/{concern.reference}/").status_code == 404
    # the reference cannot be changed
    patched = client.patch(
        f"/api/v1/concerns/{concern.pk}/",
        {"reference": f"{YEAR}-0099", "version": concern.version},
        format="json",
    )
    assert patched.status_code == 200
    concern.refresh_from_db()
    assert concern.reference == f"{YEAR}-0002"
