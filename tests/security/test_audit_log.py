"""The audit log ("dialogue.audit"): one JSON object per line saying who did what, when
and from where; failed sign-ins, refused access, exports and downloads; never the
content of a record."""

from __future__ import annotations

import datetime
import json
import logging

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from dialogue.enums import Marking
from dialogue.logging import JsonFormatter
from dialogue.middleware import loggable_kwargs
from tests import factories as f
from tests.support.auth import PASSWORD, signed_in

WRONG_PASSWORD = "Tr0ub4dor&3-wrong"
CONCERN_TITLE = "ガリウム輸出規制の影響（機密）"
CONCERN_DESCRIPTION = "取引先A社の調達計画に関する詳細（機密）"
THREAT_TITLE = "退職者を通じた技術流出（機密）"
ATTACHMENT_NAME = "調達計画_機密.pdf"
CONTENT = (CONCERN_TITLE, CONCERN_DESCRIPTION, THREAT_TITLE, ATTACHMENT_NAME)


@pytest.fixture(autouse=True)
def fresh_cache_and_media(settings, tmp_path):
    """Lock-out counters and throttles live in the cache: start each test empty.
    Attachments and export files go to a folder of the test."""
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    cache.clear()


@pytest.fixture
def audit(caplog):
    """The audit lines as the configured handler writes them, parsed back from JSON."""
    logger = logging.getLogger("dialogue.audit")
    [formatter] = [h.formatter for h in logger.handlers if isinstance(h.formatter, JsonFormatter)]
    # The logger does not propagate to the root, where caplog listens; pytest attaches
    # caplog to such loggers itself, older versions did not.
    attached = caplog.handler not in logger.handlers
    if attached:
        logger.addHandler(caplog.handler)

    def lines(event: str | None = None) -> list[dict]:
        found = []
        for record in caplog.records:
            if record.name != "dialogue.audit":
                continue
            line = formatter.format(record)
            assert "\n" not in line, "one event, one line"
            for text in (*CONTENT, WRONG_PASSWORD, PASSWORD):
                assert text not in line, f"{text!r} leaked into the audit log"
            entry = json.loads(line)
            if event is None or entry["event"] == event:
                found.append(entry)
        return found

    yield lines
    if attached:
        logger.removeHandler(caplog.handler)


@pytest.fixture
def world(semiconductors, code):
    org_a = f.OrganizationFactory(name="株式会社A", sectors=[semiconductors])
    org_b = f.OrganizationFactory(name="株式会社B", sectors=[semiconductors])
    a = f.CompanyUserFactory(username="company_a", organization=org_a)
    b = f.CompanyUserFactory(username="company_b", organization=org_b)
    official = f.OfficialFactory(username="semi_official", sectors=[semiconductors])
    concern = f.ConcernFactory(
        organization=org_a,
        submitted_by=a,
        sector=semiconductors,
        category=code("2-2"),
        title=CONCERN_TITLE,
        description=CONCERN_DESCRIPTION,
        marking=Marking.AMBER_STRICT,
    )
    attachment = f.ConcernAttachmentFactory(
        concern=concern, uploaded_by=a, original_name=ATTACHMENT_NAME
    )
    threat = f.ThreatFactory(
        title=THREAT_TITLE, sector=semiconductors, category=code("2-2"), marking=Marking.AMBER
    )
    return {
        "org_a": org_a,
        "org_b": org_b,
        "a": a,
        "b": b,
        "official": official,
        "concern": concern,
        "attachment": attachment,
        "threat": threat,
    }


def assert_utc_timestamp(entry: dict) -> None:
    stamp = datetime.datetime.fromisoformat(entry["timestamp"])
    assert entry["timestamp"].endswith("Z")
    assert stamp.utcoffset() == datetime.timedelta(0)
    assert abs(datetime.datetime.now(datetime.UTC) - stamp) < datetime.timedelta(minutes=5)


# --- failed sign-ins ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "view"),
    [
        ("workspace:login", "workspace:login"),
        ("portal:login", "portal:login"),
        ("admin:login", "admin:login"),
        ("api:token", "api:token"),
    ],
)
def test_a_failed_sign_in_logs_the_user_name_tried_but_never_the_password(
    world, audit, url_name, view
):
    client = Client(REMOTE_ADDR="198.51.100.23")

    credentials = {"username": "company_a", "password": WRONG_PASSWORD}
    if url_name.startswith("api:"):  # the API takes JSON
        response = client.post(reverse(url_name), credentials, content_type="application/json")
    else:
        response = client.post(reverse(url_name), credentials)

    assert response.status_code in (200, 400)  # the form again, or the API's 400
    [entry] = audit("auth.login_failed")
    assert entry["attempted_username"] == "company_a"
    assert entry["view"] == view
    assert entry["ip"] == "198.51.100.23"
    assert entry["role"] == "anonymous"
    assert entry["user_id"] is None
    assert entry["logger"] == "dialogue.audit"
    assert_utc_timestamp(entry)


@pytest.mark.django_db
def test_a_lock_out_is_logged(world, audit, settings):
    client = Client(REMOTE_ADDR="192.0.2.10")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("portal:login"), {"username": "company_b", "password": WRONG_PASSWORD})

    refused = client.post(reverse("portal:login"), {"username": "company_b", "password": PASSWORD})

    assert refused.status_code == 429
    locked = audit("auth.locked_out")
    assert locked, "no lock-out in the audit log"
    assert {entry["attempted_username"] for entry in locked} == {"company_b"}
    assert {entry["ip"] for entry in locked} == {"192.0.2.10"}
    assert len(audit("auth.login_failed")) == settings.AXES_FAILURE_LIMIT + 1


@pytest.mark.django_db
def test_a_successful_sign_in_is_not_a_failure(world, audit):
    response = Client().post(
        reverse("portal:login"), {"username": "company_a", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert audit("auth.login_failed") == []


# --- refused access -----------------------------------------------------------------------


@pytest.mark.django_db
def test_another_companys_concern_is_a_404_and_an_authorization_failure(world, audit):
    concern = world["concern"]
    client = signed_in(world["b"], REMOTE_ADDR="203.0.113.5")

    response = client.get(
        reverse("portal:concern-detail", args=[concern.reference]), {"q": "秘密の検索語"}
    )

    assert response.status_code == 404
    [entry] = audit("access.denied")
    assert entry["status"] == 404
    assert entry["method"] == "GET"
    assert entry["view"] == "portal:concern-detail"
    assert entry["kwargs"] == {"reference": concern.reference}
    assert entry["user_id"] == world["b"].pk
    assert entry["username"] == "company_b"
    assert entry["role"] == "company"
    assert entry["organization_id"] == world["org_b"].pk
    assert entry["ip"] == "203.0.113.5"
    assert "秘密の検索語" not in json.dumps(entry, ensure_ascii=False)  # no query string


@pytest.mark.django_db
def test_the_api_logs_another_companys_concern_too(world, audit):
    client = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(world['b'])}")

    response = client.get(reverse("api:concern-detail", args=[world["concern"].pk]))

    assert response.status_code == 404
    [entry] = audit("access.denied")
    assert entry["view"] == "api:concern-detail"
    assert entry["username"] == "company_b"
    assert entry["kwargs"] == {"pk": world["concern"].pk}


@pytest.mark.django_db
def test_a_403_for_a_signed_in_user_is_logged(world, audit):
    # Managing colleagues is for the organization's portal admin only.
    response = signed_in(world["a"]).get(reverse("portal:colleague-list"))

    assert response.status_code == 403
    [entry] = audit("access.denied")
    assert entry["status"] == 403
    assert entry["view"] == "portal:colleague-list"
    assert entry["username"] == "company_a"


@pytest.mark.django_db
def test_what_is_not_an_authorization_question_is_not_logged(world, audit):
    anonymous = Client().get(reverse("api:concern-detail", args=[world["concern"].pk]))
    unknown_address = signed_in(world["b"]).get("/portal/no-such-page/")
    own_concern = signed_in(world["a"]).get(
        reverse("portal:concern-detail", args=[world["concern"].reference])
    )

    assert anonymous.status_code in (401, 403)
    assert unknown_address.status_code == 404
    assert own_concern.status_code == 200
    assert audit("access.denied") == []


def test_secrets_in_addresses_are_not_logged():
    assert loggable_kwargs({"uidb64": "MQ", "token": "c8v-0123abcd", "pk": 5}) == {"pk": 5}
    assert loggable_kwargs({"code": "semiconductors", "kind": "threats"}) == {
        "code": "semiconductors",
        "kind": "threats",
    }
    assert loggable_kwargs({"object_id": "1/../../etc"}) == {}


# --- exports and downloads ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_workspace_export_is_logged(world, audit):
    client = signed_in(world["official"], REMOTE_ADDR="10.0.0.7")

    response = client.get(
        reverse("plans:list-export", args=["threats"]), {"format": "xlsx", "max_marking": "AMBER"}
    )

    assert response.status_code == 200
    [entry] = audit("export.file")
    assert entry["kind"] == "threats"
    assert entry["format"] == "xlsx"
    assert entry["max_marking"] == "AMBER"
    assert entry["marking"] == response["X-Marking"]
    assert entry["rows"] == 1
    assert entry["view"] == "plans:list-export"
    assert entry["username"] == "semi_official"
    assert entry["role"] == "official"
    assert entry["ip"] == "10.0.0.7"


@pytest.mark.django_db
def test_an_api_export_is_logged(world, audit):
    response = signed_in(world["official"]).get(reverse("api:threat-export"), {"format": "csv"})
    b"".join(response.streaming_content)

    assert response.status_code == 200
    [entry] = audit("export.file")
    assert (entry["kind"], entry["format"], entry["view"]) == (
        "threats",
        "csv",
        "api:threat-export",
    )


@pytest.mark.django_db
def test_a_large_export_is_logged_when_queued_and_when_downloaded(
    world, audit, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_ROWS = 0  # every export becomes a background job
    client = signed_in(world["official"])

    with django_capture_on_commit_callbacks(execute=True):  # the worker builds the file
        queued = client.get(reverse("plans:list-export", args=["threats"]), {"format": "csv"})
    job_url = queued["Location"]
    download = client.get(f"{job_url}download/")
    b"".join(download.streaming_content)

    assert queued.status_code == 302
    assert download.status_code == 200
    [requested] = audit("export.queued")
    [downloaded] = audit("export.downloaded")
    assert requested["object_type"] == downloaded["object_type"] == "export_job"
    assert requested["object_id"] == downloaded["object_id"]
    assert (downloaded["kind"], downloaded["format"]) == ("threats", "csv")
    assert downloaded["marking"] == download["X-Marking"]
    assert downloaded["view"] == "plans:export-job-download"


@pytest.mark.django_db
def test_an_attachment_download_is_logged_by_id_not_by_name(world, audit):
    attachment = world["attachment"]
    portal = signed_in(world["a"]).get(reverse("portal:attachment-download", args=[attachment.pk]))
    api = signed_in(world["official"]).get(
        reverse(
            "api:concern-attachment-download",
            kwargs={"concern_pk": attachment.concern_id, "pk": attachment.pk},
        )
    )

    assert portal.status_code == api.status_code == 200
    entries = audit("attachment.downloaded")
    assert [(e["username"], e["view"]) for e in entries] == [
        ("company_a", "portal:attachment-download"),
        ("semi_official", "api:concern-attachment-download"),
    ]
    for entry in entries:
        assert entry["object_type"] == "concern_attachment"
        assert entry["object_id"] == attachment.pk
        assert entry["concern_id"] == attachment.concern_id
