"""The OpenAPI schema that outside integrators generate clients from (openapi-python-client
names modules and classes after component, enum and parameter names, operationIds and
`title`s): the same English names whatever language the request or the management command
is in, the token declared as what it is, and optimistic locking visible (ETag, If-Match,
409, 428) on every versioned resource."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import resolve
from drf_spectacular.drainage import GENERATOR_STATS

from dialogue.api.views.base import VersionedWriteMixin
from dialogue.enums import Marking
from tests import factories as f

SCHEMA_URL = "/api/schema/?format=json"
METHODS = ("get", "put", "post", "patch", "delete")
# Enums drf-spectacular makes for blank and null choices: the same everywhere.
GENERIC_ENUMS = {"BlankEnum", "NullEnum"}


def _fetch(url: str = SCHEMA_URL, cookie_language: str | None = None, **headers):
    client = Client(**headers)
    if cookie_language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie_language
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response


@pytest.fixture(scope="module")
def served(django_db_setup, django_db_blocker):
    """/api/schema/ as callers in different languages fetch it (no sign-in needed)."""
    with django_db_blocker.unblock():
        return {
            "Accept-Language: ja": _fetch(HTTP_ACCEPT_LANGUAGE="ja"),
            "Accept-Language: en": _fetch(HTTP_ACCEPT_LANGUAGE="en"),
            "no Accept-Language (default ja)": _fetch(),
            "cookie django_language=ja": _fetch(cookie_language="ja", HTTP_ACCEPT_LANGUAGE="en"),
            "?lang=ja": _fetch(f"{SCHEMA_URL}&lang=ja", HTTP_ACCEPT_LANGUAGE="ja"),
        }


@pytest.fixture(scope="module")
def schema(served):
    return served["Accept-Language: ja"].json()


def operations(schema: dict) -> Iterator[tuple[str, str, dict]]:
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def titles(node) -> Iterator[str]:
    """Every `title` keyword (not a property called "title": its value is a schema)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "title" and isinstance(value, str):
                yield value
            else:
                yield from titles(value)
    elif isinstance(node, list):
        for item in node:
            yield from titles(item)


def names(schema: dict) -> dict[str, set[str]]:
    """What a client generator turns into module, class and function names."""
    components = schema["components"]["schemas"]
    ops = list(operations(schema))
    return {
        "components": set(components),
        "enums": {name for name, component in components.items() if "enum" in component},
        "security schemes": set(schema["components"].get("securitySchemes", {})),
        "operationIds": {operation["operationId"] for _, _, operation in ops},
        "parameters": {
            f"{operation['operationId']} {parameter['in']} {parameter['name']}"
            for _, _, operation in ops
            for parameter in operation.get("parameters", [])
        },
        "titles": set(titles(schema)),
    }


def written_by_the_command(tmp_path, *options: str) -> dict:
    target = tmp_path / f"schema{'-'.join(options)}.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(target), *options)
    return json.loads(target.read_text(encoding="utf-8"))


# --- 1. The same English names for everyone -------------------------------------------------


def test_every_name_is_the_same_whatever_language_the_request_asks_for(served):
    by_request = {label: names(response.json()) for label, response in served.items()}
    japanese = by_request["Accept-Language: ja"]
    for label, found in by_request.items():
        for kind in japanese:
            assert found[kind] == japanese[kind], (label, kind, found[kind] ^ japanese[kind])


def test_every_name_is_ascii(schema):
    found = names(schema)
    assert found["components"] and found["enums"] and found["parameters"]
    for kind, values in found.items():
        assert [value for value in values if not value.isascii()] == [], kind


def test_the_whole_schema_is_in_english_and_says_so(served):
    documents = {label: response.content for label, response in served.items()}
    assert len(set(documents.values())) == 1, "descriptions differ between languages"
    for label, response in served.items():
        assert response["Content-Language"] == "en", label
    info = served["Accept-Language: ja"].json()["info"]
    assert "in English whatever language the request asks for" in info["description"]


def test_the_command_writes_the_same_names_as_the_view_in_any_language(schema, tmp_path):
    GENERATOR_STATS.reset()
    default = written_by_the_command(tmp_path)
    japanese = written_by_the_command(tmp_path, "--lang", "ja")
    english = written_by_the_command(tmp_path, "--lang", "en")

    assert default == japanese == english
    assert names(default) == names(schema)
    # Enum names all come from ENUM_NAME_OVERRIDES: none made up from a hash of the choices
    # (which differ by language), no override that failed to load.
    assert [w for w in GENERATOR_STATS._warn_cache if "ENUM_NAME_OVERRIDES" in w] == []


def test_every_enum_has_a_pinned_english_name(schema):
    """A generated enum name depends on which other serializers have a field of the same
    name, so a new field elsewhere could rename a client's class; ENUM_NAME_OVERRIDES pins
    each one (add a new enum there, named by its choices)."""
    enums = {
        name for name, component in schema["components"]["schemas"].items() if "enum" in component
    }
    unpinned = enums - GENERIC_ENUMS - set(settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"])
    assert unpinned == set()


def test_query_parameter_enums_are_named_after_the_parameter(schema):
    """No `title` (a model field's verbose name) on a parameter's schema: the generator would
    name the enum class after that label instead of the parameter."""
    actions_list = schema["paths"]["/api/v1/actions/"]["get"]
    pillar = next(p for p in actions_list["parameters"] if p["name"] == "pillar")
    assert "enum" in pillar["schema"] and "title" not in pillar["schema"]


# --- 2. The token, declared as what it is ---------------------------------------------------


def test_the_token_is_an_api_key_in_the_authorization_header(schema):
    schemes = schema["components"]["securitySchemes"]
    token = schemes["tokenAuth"]
    assert {k: token[k] for k in ("type", "in", "name")} == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
    }
    assert "`Authorization: Token <key>`" in token["description"]
    assert schemes["cookieAuth"] == {"type": "apiKey", "in": "cookie", "name": "sessionid"}


def test_every_authenticated_operation_accepts_the_token_and_the_session(schema):
    authenticated = [
        (method, path, operation)
        for path, method, operation in operations(schema)
        if operation.get("security")
    ]
    assert len(authenticated) > 50
    for method, path, operation in authenticated:
        assert {"tokenAuth": []} in operation["security"], (method, path)
        assert {"cookieAuth": []} in operation["security"], (method, path)
    for path, method, operation in operations(schema):
        if "401" in operation["responses"]:
            assert operation.get("security"), (method, path)


# --- 3. Optimistic locking ------------------------------------------------------------------


def versioned_records(schema: dict) -> list[str]:
    """Paths of one record whose view writes under optimistic locking."""
    found = []
    for path, item in schema["paths"].items():
        if not path.endswith("}/") or "get" not in item:
            continue
        view = getattr(resolve(re.sub(r"\{[^}]+\}", "1", path)).func, "cls", None)
        if view is not None and issubclass(view, VersionedWriteMixin):
            found.append(path)
    return found


def etag_header(response: dict) -> dict | None:
    return response.get("headers", {}).get("ETag")


def test_every_versioned_record_documents_etag_if_match_409_and_428(schema):
    records = versioned_records(schema)
    assert {"/api/v1/threats/{id}/", "/api/v1/concerns/{id}/"} <= set(records)
    for path in records:
        item = schema["paths"][path]
        updates = [item[method] for method in ("patch", "put") if method in item]
        assert updates, path
        etag = etag_header(item["get"]["responses"]["200"])
        assert etag is not None, path
        assert '`"3"`' in etag["description"] and "If-Match" in etag["description"]
        for update in updates:
            headers = {p["name"] for p in update.get("parameters", []) if p["in"] == "header"}
            assert "If-Match" in headers, path
            assert {"409", "428"} <= set(update["responses"]), path
            conflict = update["responses"]["409"]["content"]["application/json"]["schema"]
            assert conflict == {"$ref": "#/components/schemas/StaleVersion"}
            assert etag_header(update["responses"]["200"]) is not None, path


def test_only_versioned_updates_document_a_conflict(schema):
    organizations = schema["paths"]["/api/v1/organizations/{id}/"]["patch"]["responses"]
    assert "409" not in organizations and "428" not in organizations
    for response in organizations.values():
        assert etag_header(response) is None


@pytest.mark.django_db
def test_the_etag_header_is_sent_exactly_where_the_schema_declares_it(schema, semiconductors, code):
    """The schema mirrors VersionedWriteMixin.finalize_response; if one changes, so must
    the other (dialogue/api/schema.py, `_sends_etag`)."""
    official = f.OfficialFactory(sectors=[semiconductors])
    organization = f.OrganizationFactory(sectors=[semiconductors])
    concern = f.ConcernFactory(
        sector=semiconductors, organization=organization, marking=Marking.GREEN
    )
    threat = f.ThreatFactory(sector=semiconductors, category=code("1-2"), marking=Marking.GREEN)
    referral = f.ReferralFactory(concern=concern)
    client = Client()
    client.force_login(official)
    reads = {
        "/api/v1/threats/{id}/": f"/api/v1/threats/{threat.pk}/",
        "/api/v1/concerns/{id}/": f"/api/v1/concerns/{concern.pk}/",
        "/api/v1/concerns/{concern_pk}/referrals/{number}/": (
            f"/api/v1/concerns/{concern.pk}/referrals/{referral.number}/"
        ),
    }
    for documented, url in reads.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        declared = etag_header(schema["paths"][documented]["get"]["responses"]["200"])
        assert ("ETag" in response) == (declared is not None), documented
        if "ETag" in response:
            assert response["ETag"] == f'"{response.json()["version"]}"'
