"""The API's permission matrix: every operation of the generated OpenAPI schema × every role.

`API` is the one table of the API's permissions: a row per request, a column per role
of the access world (tests/support/worlds/access.py), each cell the answer that role
must get. A row is an operation of the schema with its path filled with company A's /
semiconductors' records (`API_RECORDS`); a row may add a query, or name in its
placeholder another record of the world (`{export_job}`), when one operation answers
differently for them. An operation without a row, a row that names no operation, or an
API URL pattern that no operation reaches fails the suite (STYLE.md, Tests: one
permission matrix).

Each role calls with its own token, issued while the user was active (the deactivated
user's too). Every body is searched for what the caller must never see; a 404 for a
record must be the very answer a missing id gets; every request runs in a savepoint that
is rolled back, and a write the table refuses must leave the records as they were, while
a write answered 2xx must really change them. The router's `.json` variants must answer
like the path they extend.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dialogue.models import User
from tests.support.files import PDF
from tests.support.routes import (
    api_routes,
    route_of,
    schema_operations,
    with_format_suffix,
)
from tests.support.sweep import (
    MISSING_ID,
    MISSING_REFERENCE,
    api_client,
    differences,
    leaks,
    perform,
)
from tests.support.worlds.access import ROLES
from tests.support.worlds.api import A_USERNAMES, corporate_number

COMPANY_ROLES = {"company_a", "company_a_admin", "company_b"}


def row(*outcomes) -> dict[str, int | str]:
    assert len(outcomes) == len(ROLES), outcomes
    return dict(zip(ROLES, outcomes, strict=True))


def api(a, a_admin, b, semi, batt, secretariat) -> dict[str, int | str]:
    """Signed-in roles as given; the anonymous caller and the deactivated user's token: 401."""
    return row(401, a, a_admin, b, semi, batt, secretariat, 401)


# Columns, in the order of ROLES: anonymous, company A user, company A's portal admin,
# company B user, semiconductors official, batteries official, secretariat, deactivated
# company A user.
#
# The records: semiconductors' AMBER threat, chokepoint (held by A), session (with A) and
# action (owned by the company A user); A's AMBER+STRICT concern and its attachment; the
# draft plan revision; company A's named API token ("A-token"); the semiconductors
# official's finished export job, and the secretariat's still queued one (`{export_job}`).
API: dict[tuple[str, str], dict[str, int | str]] = {
    # Anyone may try a password (a wrong one gets 400); a token that no longer works gets 401.
    ("POST", "/api/v1/auth/token/"): row(400, 400, 400, 400, 400, 400, 400, 401),
    # Only a signed-in caller revokes.
    ("DELETE", "/api/v1/auth/token/"): api(204, 204, 204, 204, 204, 204),
    # API tokens: everyone their own; company A's named token is nobody else's.
    ("GET", "/api/v1/auth/tokens/"): api(200, 200, 200, 200, 200, 200),
    ("DELETE", "/api/v1/auth/tokens/{id}/"): api(204, 404, 404, 404, 404, 404),
    ("GET", "/api/v1/me/"): api(200, 200, 200, 200, 200, 200),
    # Reference data: every signed-in user.
    ("GET", "/api/v1/sectors/"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/sectors/{id}/"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/threat-categories/"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/threat-categories/{code}/"): api(200, 200, 200, 200, 200, 200),
    # Organizations: officials see all, a company its own; only the secretariat writes.
    ("GET", "/api/v1/organizations/"): api(200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/organizations/"): api(403, 403, 403, 403, 403, 201),
    ("GET", "/api/v1/organizations/{id}/"): api(200, 200, 404, 200, 200, 200),
    ("PATCH", "/api/v1/organizations/{id}/"): api(403, 403, 404, 403, 403, 200),
    # International forums: officials' reference data; company users get an empty list.
    ("GET", "/api/v1/forums/"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/forums/{id}/"): api(404, 404, 404, 200, 200, 200),
    # Sessions: semiconductors' AMBER session with company A taking part.
    ("GET", "/api/v1/sessions/"): api(200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/sessions/"): api(403, 403, 403, 201, 403, 201),
    ("GET", "/api/v1/sessions/{id}/"): api(200, 200, 404, 200, 404, 200),
    ("PATCH", "/api/v1/sessions/{id}/"): api(403, 403, 404, 200, 404, 200),
    # The AMBER 日米経済版「２＋２」 session with no sector: its forum's official (the
    # semiconductors official) and the secretariat; nobody's organization took part.
    ("GET", "/api/v1/sessions/{forum_session}/"): api(404, 404, 404, 200, 404, 200),
    # Threats: a threat belongs to no organization, so no company sees an AMBER one.
    ("GET", "/api/v1/threats/"): api(200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/threats/"): api(403, 403, 403, 201, 403, 201),
    ("GET", "/api/v1/threats/{id}/"): api(404, 404, 404, 200, 404, 200),
    ("PATCH", "/api/v1/threats/{id}/"): api(404, 404, 404, 200, 404, 200),
    # Chokepoints: semiconductors' AMBER chokepoint held by company A.
    ("GET", "/api/v1/chokepoints/"): api(200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/chokepoints/"): api(403, 403, 403, 201, 403, 201),
    ("GET", "/api/v1/chokepoints/{id}/"): api(200, 200, 404, 200, 404, 200),
    ("PATCH", "/api/v1/chokepoints/{id}/"): api(403, 403, 404, 200, 404, 200),
    # Dependencies: semiconductors' AMBER figure; it belongs to no organization, so no
    # company sees it. An import is the officials' (saved: 201; the batteries official's
    # rows for semiconductors are refused by row, 400, and nothing is saved).
    ("GET", "/api/v1/dependencies/"): api(200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/dependencies/"): api(403, 403, 403, 201, 403, 201),
    ("GET", "/api/v1/dependencies/{id}/"): api(404, 404, 404, 200, 404, 200),
    ("PATCH", "/api/v1/dependencies/{id}/"): api(404, 404, 404, 200, 404, 200),
    ("POST", "/api/v1/dependencies/import/"): api(403, 403, 403, 201, 400, 201),
    # Concerns: company A's AMBER+STRICT concern. Only company users submit; A may
    # withdraw but not triage its own concern.
    ("GET", "/api/v1/concerns/"): api(200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/concerns/"): api(201, 201, 201, 403, 403, 403),
    ("GET", "/api/v1/concerns/{id}/"): api(200, 200, 404, 200, 404, 200),
    ("PATCH", "/api/v1/concerns/{id}/"): api(403, 403, 404, 200, 404, 200),
    ("GET", "/api/v1/concerns/{concern_pk}/messages/"): api(200, 200, 404, 200, 404, 200),
    ("POST", "/api/v1/concerns/{concern_pk}/messages/"): api(201, 201, 404, 201, 404, 201),
    ("GET", "/api/v1/concerns/{concern_pk}/attachments/"): api(200, 200, 404, 200, 404, 200),
    ("POST", "/api/v1/concerns/{concern_pk}/attachments/"): api(201, 201, 404, 201, 404, 201),
    ("GET", "/api/v1/concerns/{concern_pk}/attachments/{id}/"): api(200, 200, 404, 200, 404, 200),
    ("GET", "/api/v1/concerns/{concern_pk}/attachments/{id}/download/"): api(
        200, 200, 404, 200, 404, 200
    ),
    # Referrals of A's concern follow its messages: A's people answer (consent or decline),
    # the sector's officials propose and record progress; nobody else finds them.
    ("GET", "/api/v1/concerns/{concern_pk}/referrals/"): api(200, 200, 404, 200, 404, 200),
    ("POST", "/api/v1/concerns/{concern_pk}/referrals/"): api(403, 403, 404, 201, 404, 201),
    ("GET", "/api/v1/concerns/{concern_pk}/referrals/{number}/"): api(200, 200, 404, 200, 404, 200),
    ("PATCH", "/api/v1/concerns/{concern_pk}/referrals/{number}/"): api(
        403, 403, 404, 200, 404, 200
    ),
    ("POST", "/api/v1/concerns/{concern_pk}/referrals/{number}/answer/"): api(
        200, 200, 404, 403, 404, 403
    ),
    # The foreign measures behind A's concern: officials set them, A reads their names.
    ("GET", "/api/v1/concerns/{concern_pk}/foreign-measures/"): api(200, 200, 404, 200, 404, 200),
    ("PUT", "/api/v1/concerns/{concern_pk}/foreign-measures/"): api(403, 403, 404, 200, 404, 200),
    # The support catalogue: reference data for every signed-in user.
    ("GET", "/api/v1/support-organizations/"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/support-organizations/{id}/"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/support-schemes/"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/support-schemes/{id}/"): api(200, 200, 200, 200, 200, 200),
    # Actions: only the owner (the company A user) or the sector's officials move one on.
    ("GET", "/api/v1/actions/"): api(200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/actions/"): api(403, 403, 403, 201, 403, 201),
    ("GET", "/api/v1/actions/{id}/"): api(200, 200, 404, 200, 404, 200),
    ("PATCH", "/api/v1/actions/{id}/"): api(200, 403, 404, 200, 404, 200),
    # Plan revisions: officials read, the secretariat writes. A draft already exists,
    # so even the secretariat cannot start another one (400, not 403).
    ("GET", "/api/v1/plan-revisions/"): api(200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/plan-revisions/"): api(403, 403, 403, 403, 403, 400),
    ("GET", "/api/v1/plan-revisions/{id}/"): api(404, 404, 404, 200, 200, 200),
    ("DELETE", "/api/v1/plan-revisions/{id}/"): api(404, 404, 404, 403, 403, 204),
    ("GET", "/api/v1/plan-revisions/{id}/diff/"): api(404, 404, 404, 200, 200, 200),
    ("POST", "/api/v1/plan-revisions/{id}/publish/"): api(404, 404, 404, 403, 403, 200),
    # Exports: a company user cannot even see the revision. Without ?format= the request
    # is refused as invalid (the formats themselves are tested in tests/exports).
    ("GET", "/api/v1/plan-revisions/{id}/export/?format=csv"): api(404, 404, 404, 200, 200, 200),
    ("GET", "/api/v1/plan-revisions/{id}/export/"): api(404, 404, 404, 400, 400, 400),
    ("GET", "/api/v1/threats/export/?format=csv"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/threats/export/"): api(400, 400, 400, 400, 400, 400),
    ("GET", "/api/v1/actions/export/?format=csv"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/actions/export/"): api(400, 400, 400, 400, 400, 400),
    ("GET", "/api/v1/chokepoints/export/?format=csv"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/chokepoints/export/"): api(400, 400, 400, 400, 400, 400),
    # An export job is its requester's alone; one still queued has nothing to download (409).
    ("GET", "/api/v1/export-jobs/"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/export-jobs/{id}/"): api(404, 404, 404, 200, 404, 404),
    ("GET", "/api/v1/export-jobs/{id}/download/"): api(404, 404, 404, 200, 404, 404),
    ("GET", "/api/v1/export-jobs/{export_job}/"): api(404, 404, 404, 404, 404, 200),
    ("GET", "/api/v1/export-jobs/{export_job}/download/"): api(404, 404, 404, 404, 404, 409),
    # Notices: company A (large) is addressed by the semiconductors notice, B (an SME) not;
    # every official reads GREEN ones; officials write for their own sectors.
    ("GET", "/api/v1/notices/"): api(200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/notices/"): api(403, 403, 403, 201, 403, 201),
    ("GET", "/api/v1/notices/{id}/"): api(200, 200, 404, 200, 200, 200),
    ("PATCH", "/api/v1/notices/{id}/"): api(403, 403, 404, 200, 403, 200),
    # A draft is addressed to no company.
    ("POST", "/api/v1/notices/{notice_draft}/publish/"): api(404, 404, 404, 200, 403, 200),
    ("POST", "/api/v1/notices/{id}/withdraw/"): api(403, 403, 404, 200, 403, 200),
    # Read receipts are company users'.
    ("POST", "/api/v1/notices/{id}/read/"): api(200, 200, 404, 403, 403, 403),
}

# -- the requests ------------------------------------------------------------------------

# First path segment → the record whose id fills {id}.
API_RECORDS = {
    "actions": "action_a",
    "auth": "token_a",
    "chokepoints": "chokepoint_a",
    "concerns": "concern_a",
    "dependencies": "dependency_semi",
    "export-jobs": "done_export",
    "notices": "notice",
    "forums": "forum",
    "organizations": "org_a",
    "plan-revisions": "draft",
    "sectors": "semi",
    "sessions": "session_a",
    "support-organizations": "support_organization",
    "support-schemes": "support_scheme",
    "threats": "threat_semi",
}
SCHEMA_NAMES = {"id", "code", "concern_pk", "number"}


def shape(path: str) -> str:
    """A path with its query and its placeholders' names left out."""
    return re.sub(r"\{\w+\}", "{}", path.partition("?")[0])


def operation_of(request: tuple[str, str]) -> tuple[str, str] | None:
    """The operation of the schema a row of `API` calls."""
    method, path = request
    found = [op for op in schema_operations() if op[0] == method and shape(op[1]) == shape(path)]
    return found[0] if len(found) == 1 else None


def api_url(path: str, world: dict, role: str | None = None, *, missing: bool = False) -> str:
    resource = path.removeprefix("/api/v1/").split("/")[0]
    by_reference = role in COMPANY_ROLES  # company users name concerns by their number

    def value(match: re.Match) -> str:
        name = match.group(1)
        is_concern = name == "concern_pk" or (
            name == "id" and resource == "concerns" and "/attachments/" not in path
        )
        if name == "code":
            return "9-9" if missing else "1-2"
        if name == "number":  # a referral, by its number within the concern
            return str(world["referral_a"].number)
        if missing:
            return MISSING_REFERENCE if is_concern and by_reference else str(MISSING_ID)
        if is_concern:
            concern = world["concern_a"]
            return concern.reference if by_reference else str(concern.pk)
        if name == "id" and "/attachments/" in path:
            return str(world["attachment_a"].pk)
        if name == "id" and resource in API_RECORDS:
            return str(world[API_RECORDS[resource]].pk)
        if name not in SCHEMA_NAMES and name in world:
            return str(world[name].pk)
        raise AssertionError(f"no value for {{{name}}} in {path}: extend api_url()")

    return re.sub(r"\{(\w+)\}", value, path)


def version_of(record) -> int:
    """The version an update must name (If-Match or `version`), as stored now."""
    return type(record).objects.values_list("version", flat=True).get(pk=record.pk)


def api_bodies(world: dict, user: User | None) -> dict[tuple[str, str], tuple[dict, str]]:
    """A small valid body per write; the point is the status, not the change. Updates of
    versioned records name the version they are based on."""
    semi = world["semi"].pk
    caller = user.pk if user is not None else world["users"]["secretariat"].pk
    return {
        ("POST", "/api/v1/auth/token/"): (
            {"username": A_USERNAMES[0], "password": "wrong"},
            "json",
        ),
        ("POST", "/api/v1/organizations/"): (
            {
                "name": "新規株式会社",
                "corporate_number": corporate_number("556677889900"),
                "kind": "company",
            },
            "json",
        ),
        ("PATCH", "/api/v1/organizations/{id}/"): ({"size_class": "sme"}, "json"),
        ("POST", "/api/v1/sessions/"): (
            {
                "title": "新規の対話",
                "sectors": [semi],
                "held_on": "2030-01-15",
                "format": "company_hearing",
            },
            "json",
        ),
        ("PATCH", "/api/v1/sessions/{id}/"): (
            {"minutes": "議事録を追記", "version": version_of(world["session_a"])},
            "json",
        ),
        ("POST", "/api/v1/threats/"): (
            {
                "title": "新規の脅威",
                "sector": semi,
                "category": "1-2",
                "likelihood": 3,
                "impact": 3,
            },
            "json",
        ),
        ("PATCH", "/api/v1/threats/{id}/"): (
            {"likelihood": 2, "version": version_of(world["threat_semi"])},
            "json",
        ),
        ("POST", "/api/v1/chokepoints/"): (
            {"name": "新規のチョークポイント", "sector": semi, "stage": "upstream"},
            "json",
        ),
        ("PATCH", "/api/v1/chokepoints/{id}/"): (
            {"description": "説明を更新", "version": version_of(world["chokepoint_a"])},
            "json",
        ),
        ("POST", "/api/v1/dependencies/"): (
            {
                "product": "新規の依存",
                "sector": semi,
                "stage": "upstream",
                "country": "TW",
                "share_pct": "10.00",
                "year": 2023,
                "source": "掃引",
            },
            "json",
        ),
        ("PATCH", "/api/v1/dependencies/{id}/"): (
            {"share_pct": "55.50", "version": version_of(world["dependency_semi"])},
            "json",
        ),
        ("POST", "/api/v1/dependencies/import/"): (
            {
                "file": SimpleUploadedFile(
                    "shares.csv",
                    "sector,product,stage,country,year,share_pct,source\n"
                    "semiconductors,新規の依存,upstream,TW,2023,40,掃引\n".encode(),
                    "text/csv",
                ),
                "dry_run": "false",
            },
            "multipart",
        ),
        ("POST", "/api/v1/concerns/"): (
            {
                "sector": semi,
                "category": "2-2",
                "title": "新規の懸念",
                "description": "内容",
                "desired_support": "information",
            },
            "json",
        ),
        ("PATCH", "/api/v1/concerns/{id}/"): (
            {"status": "triaged", "version": version_of(world["concern_a"])},
            "json",
        ),
        ("POST", "/api/v1/concerns/{concern_pk}/messages/"): ({"body": "追加の質問です。"}, "json"),
        ("POST", "/api/v1/concerns/{concern_pk}/attachments/"): (
            {"file": SimpleUploadedFile("追加資料.pdf", PDF, "application/pdf")},
            "multipart",
        ),
        ("POST", "/api/v1/actions/"): (
            {
                "title": "新規のアクション",
                "sector": semi,
                "owner": caller,
                "due_on": "2030-01-31",
                "pillar": "protection",
            },
            "json",
        ),
        ("PATCH", "/api/v1/actions/{id}/"): (
            {"status": "in_progress", "version": version_of(world["action_a"])},
            "json",
        ),
        ("POST", "/api/v1/plan-revisions/"): ({"notes": "次の版"}, "json"),
        ("POST", "/api/v1/notices/"): (
            {
                "kind": "compliance_rule",
                "title_ja": "新規の周知",
                "title_en": "A new notice",
                "body_ja": "本文",
                "body_en": "Text",
                "sectors": ["semiconductors"],
                "size_classes": ["large"],
            },
            "json",
        ),
        ("PATCH", "/api/v1/notices/{id}/"): (
            {"title_en": "Corrected", "version": version_of(world["notice"])},
            "json",
        ),
        ("POST", "/api/v1/notices/{id}/publish/"): (
            {"version": version_of(world["notice_draft"])},
            "json",
        ),
        ("POST", "/api/v1/notices/{id}/withdraw/"): (
            {"version": version_of(world["notice"])},
            "json",
        ),
        ("POST", "/api/v1/concerns/{concern_pk}/referrals/"): (
            {"support_schemes": [world["support_scheme"].pk], "note": "貿易保険をご検討ください。"},
            "json",
        ),
        ("PATCH", "/api/v1/concerns/{concern_pk}/referrals/{number}/"): (
            {"status": "declined", "version": version_of(world["referral_a"])},
            "json",
        ),
        ("POST", "/api/v1/concerns/{concern_pk}/referrals/{number}/answer/"): (
            {"consent": True, "version": version_of(world["referral_a"])},
            "json",
        ),
        ("PUT", "/api/v1/concerns/{concern_pk}/foreign-measures/"): (
            {"foreign_measures": [world["foreign_measure"].pk]},
            "json",
        ),
    }


# -- completeness ------------------------------------------------------------------------


def test_every_operation_has_a_row_and_every_row_an_operation():
    operations = schema_operations()
    called = {operation_of(request) for request in API}
    assert sorted(operations - called) == [], "API operations without a row in API"
    assert None not in called, [r for r in API if operation_of(r) is None]
    assert all(set(result) == set(ROLES) for result in API.values())

    covered = {route_of(path) for _method, path in operations}
    covered |= {with_format_suffix(route) for route in covered}
    uncovered = [r.route for r in api_routes() if r.route not in covered]
    assert uncovered == [], "API URL patterns that no schema operation reaches"


# -- the sweep ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(access_world):
    return access_world


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), list(API), ids=[f"{m} {p}" for m, p in API])
def test_api_operation_answers_each_role_as_the_table_says(world, method, path):
    operation = operation_of((method, path))
    assert operation is not None, "a row in API for an operation that is gone"

    found, problems = {}, []
    for role in ROLES:
        user = world["users"].get(role)
        data, fmt = api_bodies(world, user).get(operation, (None, None))
        url = api_url(path, world, role)
        answer = perform(api_client(world, role), method, url, data, fmt, api=True)
        found[role] = answer.outcome
        problems += leaks(role, answer)
        if answer.status == 404:
            missing_url = api_url(path, world, role, missing=True)
            missing = perform(api_client(world, role), method, missing_url, data, fmt)
            if (missing.status, missing.response.content) != (404, answer.response.content):
                problems.append((role, "404 differs from the one for a missing id"))
    assert not differences(found, API[(method, path)]), differences(found, API[(method, path)])
    assert not problems, problems


def has_json_suffix(request: tuple[str, str]) -> bool:
    operation = operation_of(request)
    if operation is None or operation[0] != "GET":
        return False
    return with_format_suffix(route_of(operation[1])) in {r.route for r in api_routes()}


GET_WITH_SUFFIX = [path for method, path in API if has_json_suffix((method, path))]


@pytest.mark.django_db
@pytest.mark.parametrize("path", GET_WITH_SUFFIX)
def test_json_suffix_answers_like_the_path_it_extends(world, path):
    found, problems = {}, []
    for role in ROLES:
        base, _, query = api_url(path, world, role).partition("?")
        url = base.removesuffix("/") + ".json" + (f"?{query}" if query else "")
        answer = perform(api_client(world, role), "GET", url, api=True)
        found[role] = answer.outcome
        problems += leaks(role, answer)
    assert not differences(found, API[("GET", path)]), differences(found, API[("GET", path)])
    assert not problems, problems
