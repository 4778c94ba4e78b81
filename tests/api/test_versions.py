"""Optimistic locking is not optional: an update of a versioned record says which version it
is based on (If-Match or `version`), or it is refused with 428 and nothing is saved."""

from __future__ import annotations

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from dialogue.enums import Marking
from tests import factories as f

VERSIONED = ("sessions", "threats", "chokepoints", "concerns", "actions")


@pytest.fixture
def official(semiconductors):
    return f.OfficialFactory(username="semi_official", sectors=[semiconductors])


@pytest.fixture
def threat(semiconductors, code, official):
    return f.ThreatFactory(
        sector=semiconductors, category=code("1-2"), marking=Marking.GREEN, likelihood=3
    )


def api(user, language: str = "ja") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def patch(client: Client, url: str, body: dict, **headers):
    return client.patch(url, body, content_type="application/json", **headers)


@pytest.mark.django_db
def test_an_update_without_a_version_is_refused_with_428_and_saves_nothing(official, threat):
    url = f"/api/v1/threats/{threat.pk}/"

    japanese = patch(api(official), url, {"likelihood": 1})
    english = patch(api(official, "en"), url, {"likelihood": 1})

    assert japanese.status_code == english.status_code == 428
    assert "If-Match" in japanese.json()["detail"]
    assert "バージョン" in japanese.json()["detail"]
    assert english.json()["detail"].startswith("Say which version you are changing")
    threat.refresh_from_db()
    assert (threat.likelihood, threat.version) == (3, 1)


@pytest.mark.django_db
def test_an_update_with_if_match_or_a_version_field_is_saved_and_a_stale_one_is_not(
    official, threat
):
    url = f"/api/v1/threats/{threat.pk}/"
    client = api(official)
    etag = client.get(url)["ETag"]

    by_header = patch(client, url, {"likelihood": 2}, HTTP_IF_MATCH=etag)
    by_field = patch(client, url, {"likelihood": 1, "version": by_header.json()["version"]})
    stale = patch(client, url, {"likelihood": 5}, HTTP_IF_MATCH=etag)

    assert by_header.status_code == 200
    assert by_field.status_code == 200
    assert stale.status_code == 409
    threat.refresh_from_db()
    assert (threat.likelihood, threat.version) == (1, 3)


@pytest.mark.django_db
def test_every_versioned_resource_needs_the_version(official, semiconductors, code):
    organization = f.OrganizationFactory(sectors=[semiconductors])
    records = {
        "sessions": f.DialogueSessionFactory(sectors=[semiconductors], marking=Marking.GREEN),
        "threats": f.ThreatFactory(sector=semiconductors, marking=Marking.GREEN),
        "chokepoints": f.ChokepointFactory(sector=semiconductors, marking=Marking.GREEN),
        "concerns": f.ConcernFactory(
            sector=semiconductors, organization=organization, marking=Marking.GREEN
        ),
        "actions": f.FollowUpActionFactory(
            sector=semiconductors, owner=official, marking=Marking.GREEN
        ),
    }
    client = api(official)
    for resource in VERSIONED:
        record = records[resource]
        response = patch(client, f"/api/v1/{resource}/{record.pk}/", {"marking": "AMBER"})
        assert response.status_code == 428, (resource, response.content)
        record.refresh_from_db()
        assert record.marking == Marking.GREEN


def test_the_schema_documents_if_match_and_428_on_every_versioned_update():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for resource in VERSIONED:
        operation = schema["paths"][f"/api/v1/{resource}/{{id}}/"]["patch"]
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert "If-Match" in headers, resource
        assert "428" in operation["responses"], resource
    organizations = schema["paths"]["/api/v1/organizations/{id}/"]["patch"]
    assert "428" not in organizations["responses"]  # organizations carry no version
