"""What the schema says each operation takes and gives, checked against the server: one
request content type per operation (JSON, or multipart/form-data where a file goes up),
downloads declared as bytes in their real media types, and exports that declare the
same filters as their lists."""

import json

import pytest
from django.core.management import call_command

from dialogue.services.attachments import FILE_KINDS
from tests import factories as f
from tests.support.auth import signed_in_api

DOWNLOADS = {
    ("/api/v1/plan-revisions/{id}/export/", "get"),
    ("/api/v1/threats/export/", "get"),
    ("/api/v1/actions/export/", "get"),
    ("/api/v1/chokepoints/export/", "get"),
    ("/api/v1/export-jobs/{id}/download/", "get"),
    ("/api/v1/concerns/{concern_pk}/attachments/{id}/download/", "get"),
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(path))
    return json.loads(path.read_text())


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def has_binary_field(schema, request_schema) -> bool:
    if "$ref" in request_schema:
        name = request_schema["$ref"].rsplit("/", 1)[-1]
        request_schema = schema["components"]["schemas"][name]
    return any(
        field.get("format") == "binary" for field in request_schema.get("properties", {}).values()
    )


def test_every_operation_takes_one_request_content_type(schema):
    bodies = 0
    for path, method, operation in operations(schema):
        if "requestBody" not in operation:
            continue
        bodies += 1
        content = operation["requestBody"]["content"]
        assert len(content) == 1, (method, path, list(content))
        [(media_type, body)] = content.items()
        expected = (
            "multipart/form-data"
            if has_binary_field(schema, body["schema"])
            else "application/json"
        )
        assert media_type == expected, (method, path)
    assert bodies > 20


@pytest.mark.django_db
def test_a_form_encoded_body_is_refused_with_415_and_a_json_null_is_accepted(semiconductors):
    official = f.OfficialFactory(sectors=[semiconductors])
    api = signed_in_api(official)
    threat = f.ThreatFactory(sector=semiconductors, created_by=official)
    form = api.post(
        "/api/v1/actions/",
        "title=x&sector=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert form.status_code == 415
    assert form["Content-Type"] == "application/json"
    created = api.post(
        "/api/v1/actions/",
        {
            "title": "規制内容の説明",
            "sector": semiconductors.pk,
            "owner": official.pk,
            "due_on": "2026-12-10",
            "pillar": "partnership",
            "threat": threat.pk,
            "session": None,
            "concern": None,
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["session"] is None


def test_every_download_is_bytes_in_its_real_media_types(schema):
    for path, method in DOWNLOADS:
        content = schema["paths"][path][method]["responses"]["200"]["content"]
        media_types = list(content)
        # Generic clients read application/octet-stream as bytes: it comes first.
        assert media_types[0] == "application/octet-stream", path
        assert len(media_types) > 1, path
        for media_type in media_types:
            assert content[media_type]["schema"] == {"type": "string", "format": "binary"}, (
                path,
                media_type,
            )
    attachment = schema["paths"]["/api/v1/concerns/{concern_pk}/attachments/{id}/download/"]
    documented = set(attachment["get"]["responses"]["200"]["content"])
    assert {kind.content_type for kind in FILE_KINDS} <= documented
    threats = schema["paths"]["/api/v1/threats/export/"]["get"]["responses"]["200"]["content"]
    assert {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} <= set(
        threats
    )


@pytest.mark.parametrize("kind", ["threats", "actions", "chokepoints"])
def test_an_export_declares_the_filters_of_its_list(schema, kind):
    def names(path):
        return {p["name"]: p for p in schema["paths"][path]["get"].get("parameters", [])}

    listed, exported = names(f"/api/v1/{kind}/"), names(f"/api/v1/{kind}/export/")
    paging = {"cursor", "page_size"}
    assert set(listed) - paging <= set(exported), set(listed) - paging - set(exported)
    assert not paging & set(exported)
    for name in set(listed) - paging:
        assert exported[name]["schema"] == listed[name]["schema"], name
    assert {"format", "max_marking"} <= set(exported)


@pytest.mark.django_db
def test_a_documented_export_filter_filters_the_file(semiconductors, batteries):
    official = f.OfficialFactory(sectors=[semiconductors, batteries])
    f.ThreatFactory(sector=semiconductors, title="半導体の脅威", created_by=official)
    f.ThreatFactory(sector=batteries, title="蓄電池の脅威", created_by=official)
    api = signed_in_api(official)
    response = api.get("/api/v1/threats/export/", {"format": "csv", "sector": "batteries"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    assert "蓄電池の脅威" in text and "半導体の脅威" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"format": "CSV"},
        {"format": ""},
        {"format": "csv", "max_marking": "green"},
        {"format": "csv", "max_marking": "TLP:GREEN"},
        {"format": "csv", "max_marking": "RED"},
        {"format": "csv", "max_marking": ""},
    ],
)
def test_an_export_takes_format_and_max_marking_only_as_the_schema_spells_them(
    semiconductors, query
):
    api = signed_in_api(f.OfficialFactory(sectors=[semiconductors]))
    response = api.get("/api/v1/threats/export/", query)
    assert response.status_code == 400
    [name] = response.json()
    assert name == ("max_marking" if "max_marking" in query else "format")
