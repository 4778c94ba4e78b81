"""Schema-based fuzzing of /api/v1/ with schemathesis, in-process through the WSGI app.

Every operation in the app's own OpenAPI schema (/api/schema/) is called with generated
valid and invalid input, once per caller (a secretariat official and a company user), and
every response must be

* no server error (5xx),
* a documented status code, with a documented content type and a body that matches the
  documented response schema.

Each (operation, caller) pair is one pytest test. The records the requests aim at are made
once for the module; each test runs in a savepoint on top and is rolled back, so a generated
DELETE or a revoked token never leaks into another operation. Generation is derandomized
with a fixed seed and a bounded number of examples, so CI sends the same requests every
time; Hypothesis keeps no example database (nothing is written into the work tree) and
uploads go to a temporary MEDIA_ROOT.

Most examples are "steered" (a Hypothesis-drawn choice, so failures still shrink and
replay): path ids, foreign keys in the body, a login's credentials and a corporate number
are replaced with seeded records or valid values, so requests get past "not found" / "does
not exist" into the services' own validation. The rest go out exactly as generated.

Nothing in the schema is left out. The attachment download and upload are fuzzed too, and
also have plain tests below for what a schema cannot say (the bytes, the headers, real
file types).
"""

from __future__ import annotations

import copy
import io
import os
import tempfile
from pathlib import Path

import hypothesis
import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connections, transaction
from django.test import override_settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.core.jsonschema import make_validator
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dialogue.enums import Marking
from dialogue.models import Sector
from dialogue.services.plans import plan_revision_publish, plan_revision_start
from tests import factories as f
from tests.support.auth import PASSWORD, signed_in_api

MAX_EXAMPLES = 20
SEED = 20261120

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            # Valid and invalid input alike: invalid input must come back as a documented 4xx.
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            # No .hypothesis/ example database in the work tree.
            "database": "none",
            # We sign in as real users; random Authorization/sessionid values add nothing.
            "with-security-parameters": False,
        },
        "phases": {
            # The coverage phase sends every boundary value of every field: about 18,000
            # requests here (7 minutes), far over the time this file may take; a one-off
            # run of it found nothing more. (It is also off whenever `given` is used.)
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
    }
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    # A required header left out must be refused. positive_data_acceptance is left out: a
    # schema-valid id of a sector or person that does not exist, or that the caller may not
    # name, is rightly refused with 400, and no schema can list which ids exist.
    missing_required_header,
    # Input the schema forbids must be refused, not read leniently.
    negative_data_rejection,
]
CALLERS = ["secretariat", "company"]

# Even without an example database Hypothesis caches what it reads from source files under
# ./.hypothesis/; keep that out of the work tree as well (unless told where to put it).
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "hypothesis-strategic-dialogue")

application = get_wsgi_application()


def load_schema():
    """The schema as the app serves it. Collection runs before any test database exists and
    pytest-django blocks queries there; the schema view makes none, but ATOMIC_REQUESTS
    would open a transaction around it, so that is off while loading."""
    db = connections["default"].settings_dict
    atomic, db["ATOMIC_REQUESTS"] = db["ATOMIC_REQUESTS"], False
    try:
        # The in-process client sends `Host: localhost`.
        with override_settings(ALLOWED_HOSTS=[*django_settings.ALLOWED_HOSTS, "localhost"]):
            return schemathesis.openapi.from_wsgi(
                "/api/schema/?format=json", application, config=CONFIG
            )
    finally:
        db["ATOMIC_REQUESTS"] = atomic


schema = load_schema()


class World:
    """The seeded records, the callers' tokens, and how to point requests at them."""

    def __init__(self):
        semi = Sector.objects.get(code="semiconductors")
        self.semiconductors = semi
        self.organization = f.OrganizationFactory(name="株式会社ファズ", sectors=[semi])
        self.users = {
            "secretariat": f.SecretariatFactory(username="fuzz_secretariat"),
            "company": f.CompanyUserFactory(
                username="fuzz_company", organization=self.organization
            ),
            "official": f.OfficialFactory(username="fuzz_official", sectors=[semi]),
        }
        self.tokens = {name: f.api_key(user) for name, user in self.users.items()}
        secretariat = self.users["secretariat"]
        self.session = f.DialogueSessionFactory(
            sectors=[semi],
            participating_organizations=[self.organization],
            created_by=secretariat,
            marking=Marking.AMBER,
        )
        self.chokepoint = f.ChokepointFactory(
            sector=semi, holder_organizations=[self.organization], marking=Marking.GREEN
        )
        self.threat, _ = [
            f.ThreatFactory(
                sector=semi,
                category=f.ThreatCategoryFactory(code=code),
                source_session=self.session,
                created_by=secretariat,
                marking=marking,
            )
            for code, marking in [("1-2", Marking.GREEN), ("2-1", Marking.AMBER)]
        ]
        self.concern = f.ConcernFactory(
            organization=self.organization, submitted_by=self.users["company"], sector=semi
        )
        f.ConcernMessageFactory(concern=self.concern, author=secretariat)
        self.attachment = f.ConcernAttachmentFactory(concern=self.concern)
        self.action = f.FollowUpActionFactory(
            sector=semi,
            owner=self.users["official"],
            session=self.session,
            threat=self.threat,
            concern=self.concern,
            created_by=secretariat,
            marking=Marking.GREEN,
        )
        # A published first edition and a draft second one, so the diff has content.
        first = plan_revision_start(actor=secretariat, notes="初版")
        plan_revision_publish(revision=first, actor=secretariat)
        self.draft = plan_revision_start(actor=secretariat, notes="第2版の下書き")

    def concern_key(self, caller: str):
        """Company users name concerns by their organization's reference number."""
        return self.concern.reference if caller == "company" else self.concern.pk

    def path_value(self, path: str, name: str, caller: str):
        concern_key = self.concern_key(caller)
        if name == "concern_pk":
            return concern_key
        if name == "code":
            return "1-2"
        if path.startswith("/api/v1/concerns/{concern_pk}/attachments/"):
            return self.attachment.pk
        resource = path.removeprefix("/api/v1/").split("/")[0]
        return {
            "actions": self.action.pk,
            "chokepoints": self.chokepoint.pk,
            "concerns": concern_key,
            "organizations": self.organization.pk,
            "plan-revisions": self.draft.pk,
            "sectors": self.semiconductors.pk,
            "sessions": self.session.pk,
            "threats": self.threat.pk,
        }.get(resource)

    def body_value(self, key: str, caller: str):
        values = {
            "sector": self.semiconductors.pk,
            "sectors": [self.semiconductors.pk],
            "owner": self.users["official"].pk,
            "assigned_to": self.users["official"].pk,
            "session": self.session.pk,
            "source_session": self.session.pk,
            "threat": self.threat.pk,
            "concern": self.concern_key(caller),
            "source_concern": self.concern_key(caller),
            "category": "2-2",
            "chokepoints": [self.chokepoint.pk],
            "participating_organizations": [self.organization.pk],
            "holder_organizations": [self.organization.pk],
            "named_users": [self.users[caller].pk],
            "username": self.users[caller].username,
            "password": PASSWORD,
        }
        if key == "corporate_number":
            return f.valid_corporate_number()
        return values.get(key)

    def steer(self, case, caller: str) -> None:
        # Read before steering: reading `case.meta` revalidates whatever was changed.
        negative_body = case.meta.is_negative_at(ParameterLocation.BODY)
        for name in list(case.path_parameters or {}):
            value = self.path_value(case.operation.path, name, caller)
            if value is not None:
                # As sent: an int where the schema says string would count as invalid.
                case.path_parameters[name] = str(value)
        if isinstance(case.body, dict):
            generated = copy.deepcopy(case.body)
            for key in list(case.body):
                value = self.body_value(key, caller)
                if value is not None:
                    case.body[key] = value
            # A generated `version` is almost always stale (409); leave it out.
            case.body.pop("version", None)
            # A body made invalid on purpose must stay invalid, or negative_data_rejection
            # would expect a refusal of what steering has just made valid.
            if negative_body and case.body != generated and body_is_valid(case):
                case.body = generated


def body_is_valid(case) -> bool:
    """Whether a JSON body now matches its schema (multipart bodies are never steered)."""
    body = case.operation.get_body_for_media_type(case.media_type)
    if body is None or "json" not in case.media_type:
        return False
    validator_cls = case.operation.schema.adapter.jsonschema_validator_cls
    return make_validator(body.optimized_schema, validator_cls).is_valid(case.body)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Reference data and the records above, made once for this module in a transaction
    that is rolled back at its end. Each test runs in a savepoint on top of it (the usual
    pytest-django `db` transaction), so whatever a test changes is gone for the next one."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("fuzz-uploads"))
    media.enable()
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            call_command("load_reference_data", stdout=io.StringIO())
            world = World()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()
            raise
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        media.disable()


@pytest.fixture
def world(seeded, db, monkeypatch, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # The app runs in this thread on the test's connection: as Django's test client does,
    # keep request_started/finished from closing it in the middle of the test transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # Per-scope limits (20 concerns an hour, 20 logins a minute) would answer most generated
    # requests with 429 before validation; the per-user limit stays, counted per test.
    for scope in ("concern_submit", "token_login"):
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, None)
    cache.clear()
    try:
        yield seeded
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.given(ids=st.sampled_from(["seeded", "seeded", "seeded", "as generated"]))
@schema.parametrize()
@pytest.mark.parametrize("caller", CALLERS)
@hypothesis.settings(suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case, ids, caller, world):
    if ids == "seeded":
        world.steer(case, caller)
    case.call_and_validate(
        headers={"Authorization": f"Token {world.tokens[caller]}"}, checks=CHECKS
    )


# -- what a schema cannot say about files ---------------------------------------------


def _client(world: World, caller: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[caller]}")
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_attachment_download_bytes_and_headers(world, caller):
    client = _client(world, caller)
    concern = world.concern_key(caller)
    url = f"/api/v1/concerns/{concern}/attachments/{world.attachment.pk}/download/"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%test\n"
    for missing in (
        f"/api/v1/concerns/{concern}/attachments/999999/download/",
        f"/api/v1/concerns/999999/attachments/{world.attachment.pk}/download/",
        f"/api/v1/concerns/2099-9999/attachments/{world.attachment.pk}/download/",
        f"/api/v1/concerns/{concern}/attachments/abc/download/",
    ):
        response = client.get(missing)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail"}
    outsider = signed_in_api(f.CompanyUserFactory(username="fuzz_other_company"))
    assert outsider.get(url).status_code == 404
    assert APIClient().get(url).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_attachment_upload_real_and_refused_files(world, caller):
    client = _client(world, caller)
    url = f"/api/v1/concerns/{world.concern_key(caller)}/attachments/"
    pdf = SimpleUploadedFile("報告.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = client.post(url, {"file": pdf}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["original_name"] == "報告.pdf"
    assert response.json()["content_type"] == "application/pdf"
    refused = [
        {},
        {"file": "not a file"},
        {"file": SimpleUploadedFile("x.txt", b"MZ\x90\x00" + bytes(range(256)), "text/plain")},
        {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 /JavaScript", "application/pdf")},
        {"file": SimpleUploadedFile("empty.pdf", b"", "application/pdf")},
    ]
    for data in refused:
        response = client.post(url, data, format="multipart")
        assert response.status_code == 400, (data, response.content)
        assert "file" in response.json()
    assert client.post(url, {"file": "x"}, format="json").status_code == 415
