"""The API's authorization beyond the permission matrix (tests/api/test_permission_matrix.py):
what a company sees of shared records, "not yours" answered exactly like "not there", and
how tokens and browser sessions authenticate.

One world (tests/support/worlds/api.py) holds data for everyone: company A and B in
semiconductors, AMBER items of two sectors, A's AMBER+STRICT concern with an internal note.
"""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import get_random_string
from rest_framework.test import APIClient

from dialogue.models import ApiToken, Concern, User
from tests import factories as f
from tests.support.auth import PASSWORD, obtain_token, signed_in_api
from tests.support.files import PDF
from tests.support.worlds import rolled_back
from tests.support.worlds.api import A_USERNAMES, B_CONCERN_TITLE, build_api_world

MISSING_ID = 999999
MISSING_REFERENCE = "2099-9876"
COMPANY_ROLES = ("company_a", "company_b")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at the end;
    every test runs in its own savepoint on top of it."""
    with rolled_back(django_db_blocker, tmp_path_factory.mktemp("api-media")):
        yield build_api_world()


def concern_key(concern, role: str | None) -> str:
    """How the caller names a concern in a URL: company users by their organization's
    reference number, officials by id."""
    return concern.reference if role in COMPANY_ROLES else str(concern.pk)


def client_for(user: User | None) -> APIClient:
    client = signed_in_api(user)
    client.raise_request_exception = False  # a 500 shows up as a status, traceback in the log
    return client


def send(client: APIClient, method: str, url: str, data=None, fmt=None):
    handler = getattr(client, method.lower())
    if data is None:
        return handler(url)
    return handler(url, data, format=fmt)


@pytest.mark.django_db
def test_company_lists_hide_the_other_company_and_internal_notes(world):
    # given: company B takes part in the joint session and shares the GREEN chokepoint with A
    b = client_for(world["users"]["company_b"])
    a = client_for(world["users"]["company_a"])

    # then: what B sees of shared items carries nothing of A
    for session in b.get("/api/v1/sessions/").json()["results"]:
        assert session["participating_organizations"] == [world["org_b"].pk]
        assert {p["organization"] for p in session["participants"]} <= {None, world["org_b"].pk}
    for chokepoint in b.get("/api/v1/chokepoints/").json()["results"]:
        assert world["org_a"].pk not in chokepoint["holder_organizations"]
    for threat in b.get("/api/v1/threats/").json()["results"]:
        assert threat["source_concern"] is None and threat["source_organization"] is None
    a_users = set(User.objects.filter(organization=world["org_a"]).values_list("pk", flat=True))
    actions = b.get("/api/v1/actions/").json()["results"]
    assert any(action["title"] == "半導体GREENアクション: 取引先への周知" for action in actions)
    for action in actions:
        assert action["concern"] is None
        assert action["owner"] not in a_users and action["owner_name"] not in A_USERNAMES
    assert [c["title"] for c in b.get("/api/v1/concerns/").json()["results"]] == [B_CONCERN_TITLE]

    # and: A sees its thread without the internal note or the note's attachment
    concern = world["concern_a"].reference
    thread = a.get(f"/api/v1/concerns/{concern}/messages/").json()
    assert [m["body"] for m in thread] == ["確認して回答します。"]
    files = a.get(f"/api/v1/concerns/{concern}/attachments/").json()
    assert [x["original_name"] for x in files] == ["報告書.pdf"]


# -- 404: "not there" and "not yours" are the same answer ---------------------


UPLOAD = "upload"  # a fresh PDF per request
# (role, method, path, body): every {name} the role may not see is compared with a missing id.
NOT_FOUND_CASES = [
    # company B against company A's concern, its thread and its files
    ("company_b", "GET", "/api/v1/concerns/{concern_a}/", None),
    ("company_b", "PATCH", "/api/v1/concerns/{concern_a}/", {"status": "withdrawn"}),
    ("company_b", "GET", "/api/v1/concerns/{concern_a}/messages/", None),
    ("company_b", "POST", "/api/v1/concerns/{concern_a}/messages/", {"body": "x"}),
    ("company_b", "GET", "/api/v1/concerns/{concern_a}/attachments/", None),
    ("company_b", "POST", "/api/v1/concerns/{concern_a}/attachments/", UPLOAD),
    ("company_b", "GET", "/api/v1/concerns/{concern_a}/attachments/{attachment_a}/", None),
    (
        "company_b",
        "GET",
        "/api/v1/concerns/{concern_a}/attachments/{attachment_a}/download/",
        None,
    ),
    # … and asking for A's file under its own concern
    ("company_b", "GET", "/api/v1/concerns/{concern_b}/attachments/{attachment_a}/", None),
    (
        "company_b",
        "GET",
        "/api/v1/concerns/{concern_b}/attachments/{attachment_a}/download/",
        None,
    ),
    # company A asking for the file on an internal note of its own concern
    ("company_a", "GET", "/api/v1/concerns/{concern_a}/attachments/{internal_attachment}/", None),
    (
        "company_a",
        "GET",
        "/api/v1/concerns/{concern_a}/attachments/{internal_attachment}/download/",
        None,
    ),
    # the batteries official against semiconductors' AMBER threat, session and action
    ("other_sector_official", "GET", "/api/v1/threats/{threat_semi}/", None),
    ("other_sector_official", "PATCH", "/api/v1/threats/{threat_semi}/", {"likelihood": 2}),
    ("other_sector_official", "GET", "/api/v1/sessions/{session_a}/", None),
    ("other_sector_official", "PATCH", "/api/v1/sessions/{session_a}/", {"minutes": "x"}),
    ("other_sector_official", "GET", "/api/v1/actions/{action_a}/", None),
    ("other_sector_official", "PATCH", "/api/v1/actions/{action_a}/", {"status": "in_progress"}),
]
OWN = {"company_a": {"concern_a"}, "company_b": {"concern_b"}}


def key(record, role: str) -> str:
    return concern_key(record, role) if isinstance(record, Concern) else str(record.pk)


def missing_key(name: str, role: str) -> str:
    if name.startswith("concern_") and role in COMPANY_ROLES:
        return MISSING_REFERENCE
    return str(MISSING_ID)


@pytest.mark.django_db
def test_an_invisible_id_gets_the_same_404_as_a_missing_one(world):
    mismatches = []
    for role, method, path, data in NOT_FOUND_CASES:
        names = re.findall(r"\{(\w+)\}", path)
        hidden = path.format(**{name: key(world[name], role) for name in names})
        missing = path.format(
            **{
                name: key(world[name], role)
                if name in OWN.get(role, ())
                else missing_key(name, role)
                for name in names
            }
        )
        answers = []
        for url in (hidden, missing):
            body, fmt = (data, "json")
            if data == UPLOAD:
                body, fmt = (
                    {"file": SimpleUploadedFile("x.pdf", PDF, "application/pdf")},
                    "multipart",
                )
            with transaction.atomic():
                response = send(client_for(world["users"][role]), method, url, body, fmt)
                transaction.set_rollback(True)
            answers.append((response.status_code, response.content, response.get("Content-Type")))
        if answers[0] != answers[1] or answers[0][0] != 404:
            mismatches.append((role, method, hidden, missing, answers))
    assert not mismatches


# -- authentication ----------------------------------------------------------


@pytest.mark.django_db
def test_bad_credentials_get_400_and_do_not_tell_which_part_was_wrong(world):
    inactive = f.CompanyUserFactory(username="arupa-retired", organization=world["org_a"])
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    answers = []
    for username, password in [
        (A_USERNAMES[0], "wrong"),
        ("nobody-by-this-name", "wrong"),
        ("arupa-retired", PASSWORD),
        ("", ""),
    ]:
        cache.clear()
        response = APIClient().post(
            "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
        )
        assert response.status_code == 400
        answers.append(response.content)
    assert answers[0] == answers[1] == answers[2]
    assert not ApiToken.objects.exclude(name="A-token").exists()


@pytest.mark.django_db
def test_anonymous_cannot_revoke_a_token(world):
    response = APIClient().delete("/api/v1/auth/token/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_a_deactivated_users_token_is_refused(world):
    # given
    key = obtain_token(A_USERNAMES[0])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").status_code == 200
    # when
    User.objects.filter(username=A_USERNAMES[0]).update(is_active=False)
    # then
    assert client.get("/api/v1/me/").status_code == 401
    assert client.get(f"/api/v1/concerns/{world['concern_a'].reference}/").status_code == 401


@pytest.mark.django_db
def test_a_revoked_token_is_refused(world):
    # given
    key = obtain_token("semi-official")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").status_code == 200
    # when
    assert client.delete("/api/v1/auth/token/").status_code == 204
    # then
    assert client.get("/api/v1/me/").status_code == 401
    assert client.delete("/api/v1/auth/token/").status_code == 401
    assert not ApiToken.objects.filter(user__username="semi-official").exists()


@pytest.mark.django_db
def test_session_authentication_needs_a_csrf_token_for_writes(world, settings):
    # given: a browser session (a real login, not force_authenticate)
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(request=HttpRequest(), username=A_USERNAMES[0], password=PASSWORD)
    url = f"/api/v1/concerns/{world['concern_a'].reference}/messages/"
    assert client.get(url).status_code == 200

    # when: a POST without a CSRF token
    refused = client.post(url, {"body": "CSRFなし"}, format="json")
    # then
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    # and: the same POST with the token goes through, so the 403 was CSRF and nothing else
    secret = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    accepted = client.post(url, {"body": "CSRFあり"}, format="json", HTTP_X_CSRFTOKEN=secret)
    assert accepted.status_code == 201, accepted.content

    # and: a forced login is no different
    other = APIClient(enforce_csrf_checks=True)
    other.force_login(world["users"]["sector_official"])
    assert other.post(url, {"body": "x"}, format="json").status_code == 403
    assert other.delete("/api/v1/auth/token/").status_code == 403
