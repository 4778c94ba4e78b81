"""Authorization sweep: every operation of the generated OpenAPI schema × every role.

One world holds data for everyone; every operation is called by every role with
its path filled with company A's / semiconductors' objects, and the status must
match the table below. An operation in the schema without a row, or a row
without an operation, fails the suite (STYLE.md, Tests: one permission matrix).
Every 2xx body is also searched for what the caller must never see.
"""

import functools
import io
import json
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.http import HttpRequest
from django.test import override_settings
from django.utils import timezone
from django.utils.crypto import get_random_string
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from dialogue.enums import Marking
from dialogue.models import ApiToken, Concern, ExportJob, Sector, ThreatCategory, User
from dialogue.services.plans import plan_revision_start
from dialogue.validators import corporate_number_check_digit
from tests import factories as f

PASSWORD = "correct-horse-battery"
MISSING_ID = 999999
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"

ROLES = (
    "anonymous",
    "company_a",
    "company_b",
    "sector_official",
    "other_sector_official",
    "secretariat",
)


def corporate_number(base12: str) -> str:
    return f"{corporate_number_check_digit(base12)}{base12}"


# What identifies each company (and must never reach the other one).
A_NAME, A_NAME_EN = "阿留波精密工業株式会社", "Arupa Precision Works"
A_NUMBER = corporate_number("734512986301")
A_USERNAMES = ("arupa-kanri", "arupa-gijutsu")
A_CONCERN_TITLE = "阿留波社 フォトレジスト輸出規制への対応相談"
A_CONCERN_TEXT = "阿留波社の主要顧客から規制該当性の確認を求められています。"
A_PARTICIPANT = "阿留波 太郎"
B_NAME, B_NAME_EN = "部多電子株式会社", "Beta Denshi Kogyo"
B_NUMBER = corporate_number("845623097412")
B_USERNAMES = ("beta-kanri",)
B_CONCERN_TITLE = "部多電子 装置部品の調達途絶の相談"
B_PARTICIPANT = "部多 花子"
# Officials only.
INTERNAL_NOTE = "内部メモ: 規制当局に非公式に照会済み（社名は伏せること）"
INTERNAL_FILE = "内部照会記録.pdf"
# Named people only (none of the six roles).
RED_TITLE = "赤区分: 特定工場を狙う標的型攻撃の兆候"
# Semiconductors' and batteries' AMBER items.
SEMI_AMBER = {
    "threat": "半導体AMBER脅威: 退職技術者経由の流出",
    "chokepoint": "半導体AMBERチョークポイント: 高純度レジスト",
    "session": "半導体AMBER対話: 阿留波社ヒアリング",
    "joint_session": "半導体AMBER対話: 合同ラウンドテーブル",
    "action": "半導体AMBERアクション: 阿留波社の自主点検",
}
BATT_AMBER = {
    "threat": "電池AMBER脅威: 正極材の供給途絶",
    "chokepoint": "電池AMBERチョークポイント: 固体電解質",
    "session": "電池AMBER対話: 電池工業会",
    "action": "電池AMBERアクション: 備蓄の点検",
}

A_IDENTIFYING = (A_NAME, A_NAME_EN, A_NUMBER, *A_USERNAMES, A_CONCERN_TITLE, A_CONCERN_TEXT)
A_IDENTIFYING += (A_PARTICIPANT,)
B_IDENTIFYING = (B_NAME, B_NAME_EN, B_NUMBER, *B_USERNAMES, B_CONCERN_TITLE, B_PARTICIPANT)
CONCERN_SECRETS = (A_CONCERN_TITLE, B_CONCERN_TITLE, INTERNAL_NOTE, INTERNAL_FILE)

# role → strings that must not appear in any 2xx body that role receives.
NEVER_SHOWN = {
    "anonymous": (RED_TITLE, *A_IDENTIFYING, *B_IDENTIFYING, INTERNAL_NOTE),
    "company_a": (
        RED_TITLE,
        *B_IDENTIFYING,
        INTERNAL_NOTE,
        INTERNAL_FILE,
        SEMI_AMBER["threat"],
        *BATT_AMBER.values(),
    ),
    "company_b": (
        RED_TITLE,
        *A_IDENTIFYING,
        INTERNAL_NOTE,
        INTERNAL_FILE,
        SEMI_AMBER["threat"],
        SEMI_AMBER["chokepoint"],
        SEMI_AMBER["session"],
        SEMI_AMBER["action"],
        *BATT_AMBER.values(),
    ),
    "sector_official": (RED_TITLE, *BATT_AMBER.values()),
    "other_sector_official": (RED_TITLE, *SEMI_AMBER.values(), *CONCERN_SECRETS),
    "secretariat": (RED_TITLE,),
}


def expect(*statuses: int) -> dict[str, int]:
    assert len(statuses) == len(ROLES)
    return dict(zip(ROLES, statuses, strict=True))


# (method, path template) → status per role, in the order of ROLES:
#      anonymous, company_a, company_b, sector_official, other_sector_official, secretariat
EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    # Token: anyone may try a password (bad ones get 400); only a signed-in caller revokes.
    ("POST", "/api/v1/auth/token/"): expect(400, 400, 400, 400, 400, 400),
    ("DELETE", "/api/v1/auth/token/"): expect(401, 204, 204, 204, 204, 204),
    # Tokens: each person lists and revokes their own; company A's token is nobody else's.
    ("GET", "/api/v1/auth/tokens/"): expect(401, 200, 200, 200, 200, 200),
    ("DELETE", "/api/v1/auth/tokens/{id}/"): expect(401, 204, 404, 404, 404, 404),
    ("GET", "/api/v1/me/"): expect(401, 200, 200, 200, 200, 200),
    # Reference data: every signed-in user.
    ("GET", "/api/v1/sectors/"): expect(401, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/sectors/{id}/"): expect(401, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/threat-categories/"): expect(401, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/threat-categories/{code}/"): expect(401, 200, 200, 200, 200, 200),
    # Organizations: officials see all, a company its own; only the secretariat writes.
    ("GET", "/api/v1/organizations/"): expect(401, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/organizations/"): expect(401, 403, 403, 403, 403, 201),
    ("GET", "/api/v1/organizations/{id}/"): expect(401, 200, 404, 200, 200, 200),
    ("PATCH", "/api/v1/organizations/{id}/"): expect(401, 403, 404, 403, 403, 200),
    # Sessions: semiconductors' AMBER session with company A taking part.
    ("GET", "/api/v1/sessions/"): expect(401, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/sessions/"): expect(401, 403, 403, 201, 403, 201),
    ("GET", "/api/v1/sessions/{id}/"): expect(401, 200, 404, 200, 404, 200),
    ("PATCH", "/api/v1/sessions/{id}/"): expect(401, 403, 404, 200, 404, 200),
    # Threats: semiconductors' AMBER threat (threats have no organization: no company sees AMBER).
    ("GET", "/api/v1/threats/"): expect(401, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/threats/"): expect(401, 403, 403, 201, 403, 201),
    ("GET", "/api/v1/threats/{id}/"): expect(401, 404, 404, 200, 404, 200),
    ("PATCH", "/api/v1/threats/{id}/"): expect(401, 404, 404, 200, 404, 200),
    # Chokepoints: semiconductors' AMBER chokepoint held by company A.
    ("GET", "/api/v1/chokepoints/"): expect(401, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/chokepoints/"): expect(401, 403, 403, 201, 403, 201),
    ("GET", "/api/v1/chokepoints/{id}/"): expect(401, 200, 404, 200, 404, 200),
    ("PATCH", "/api/v1/chokepoints/{id}/"): expect(401, 403, 404, 200, 404, 200),
    # Concerns: company A's AMBER+STRICT concern. Only company users submit; A may
    # withdraw but not triage its own concern.
    ("GET", "/api/v1/concerns/"): expect(401, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/concerns/"): expect(401, 201, 201, 403, 403, 403),
    ("GET", "/api/v1/concerns/{id}/"): expect(401, 200, 404, 200, 404, 200),
    ("PATCH", "/api/v1/concerns/{id}/"): expect(401, 403, 404, 200, 404, 200),
    ("GET", "/api/v1/concerns/{concern_pk}/messages/"): expect(401, 200, 404, 200, 404, 200),
    ("POST", "/api/v1/concerns/{concern_pk}/messages/"): expect(401, 201, 404, 201, 404, 201),
    ("GET", "/api/v1/concerns/{concern_pk}/attachments/"): expect(401, 200, 404, 200, 404, 200),
    ("POST", "/api/v1/concerns/{concern_pk}/attachments/"): expect(401, 201, 404, 201, 404, 201),
    ("GET", "/api/v1/concerns/{concern_pk}/attachments/{id}/"): expect(
        401, 200, 404, 200, 404, 200
    ),
    ("GET", "/api/v1/concerns/{concern_pk}/attachments/{id}/download/"): expect(
        401, 200, 404, 200, 404, 200
    ),
    # Actions: semiconductors' AMBER action owned by a company A user (the owner may move it on).
    ("GET", "/api/v1/actions/"): expect(401, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/actions/"): expect(401, 403, 403, 201, 403, 201),
    ("GET", "/api/v1/actions/{id}/"): expect(401, 200, 404, 200, 404, 200),
    ("PATCH", "/api/v1/actions/{id}/"): expect(401, 200, 404, 200, 404, 200),
    # Plan revisions: officials read, the secretariat writes. A draft already exists,
    # so even the secretariat cannot start another one (400, not 403).
    ("GET", "/api/v1/plan-revisions/"): expect(401, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/plan-revisions/"): expect(401, 403, 403, 403, 403, 400),
    ("GET", "/api/v1/plan-revisions/{id}/"): expect(401, 404, 404, 200, 200, 200),
    ("DELETE", "/api/v1/plan-revisions/{id}/"): expect(401, 404, 404, 403, 403, 204),
    ("GET", "/api/v1/plan-revisions/{id}/diff/"): expect(401, 404, 404, 200, 200, 200),
    # Exports: without ?format= the request is refused as invalid (the formats are tested in
    # tests/exports); a company user cannot even see the revision.
    ("GET", "/api/v1/plan-revisions/{id}/export/"): expect(401, 404, 404, 400, 400, 400),
    ("GET", "/api/v1/threats/export/"): expect(401, 400, 400, 400, 400, 400),
    ("GET", "/api/v1/actions/export/"): expect(401, 400, 400, 400, 400, 400),
    ("GET", "/api/v1/chokepoints/export/"): expect(401, 400, 400, 400, 400, 400),
    # An export job is its requester's alone (the secretariat's here); still queued → 409.
    ("GET", "/api/v1/export-jobs/"): expect(401, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/export-jobs/{id}/"): expect(401, 404, 404, 404, 404, 200),
    ("GET", "/api/v1/export-jobs/{id}/download/"): expect(401, 404, 404, 404, 404, 409),
    ("POST", "/api/v1/plan-revisions/{id}/publish/"): expect(401, 404, 404, 403, 403, 200),
}


@functools.cache
def schema_operations() -> frozenset[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return frozenset(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE"}
    )


# -- the world ---------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at the end;
    every test runs in its own savepoint on top of it."""
    media = tmp_path_factory.mktemp("sweep-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def build_world() -> dict:
    call_command("load_reference_data", stdout=io.StringIO())
    semi = Sector.objects.get(code="semiconductors")
    batt = Sector.objects.get(code="batteries")
    code = {c.code: c for c in ThreatCategory.objects.filter(code__in=["1-2", "2-1", "2-2"])}

    org_a = f.OrganizationFactory(
        name=A_NAME, name_en=A_NAME_EN, corporate_number=A_NUMBER, sectors=[semi]
    )
    org_b = f.OrganizationFactory(
        name=B_NAME, name_en=B_NAME_EN, corporate_number=B_NUMBER, sectors=[semi]
    )
    users = {
        "company_a": f.CompanyUserFactory(username=A_USERNAMES[0], organization=org_a),
        "company_b": f.CompanyUserFactory(username=B_USERNAMES[0], organization=org_b),
        "sector_official": f.OfficialFactory(username="semi-official", sectors=[semi]),
        "other_sector_official": f.OfficialFactory(username="batt-official", sectors=[batt]),
        "secretariat": f.SecretariatFactory(username="secretariat"),
    }
    f.CompanyUserFactory(username=A_USERNAMES[1], organization=org_a)
    red_reader = f.OfficialFactory(username="red-reader", sectors=[semi])
    secretariat, official = users["secretariat"], users["sector_official"]
    authored = {"created_by": secretariat}

    # Company A's concern: a reply, an internal note, an attachment (and one on the note).
    # Its reference number is one company B's concerns do not have: B asking for it by
    # that number must find nothing.
    concern_a = f.ConcernFactory(
        reference=f"{timezone.localdate().year}-0002",
        organization=org_a,
        submitted_by=users["company_a"],
        sector=semi,
        category=code["2-2"],
        title=A_CONCERN_TITLE,
        description=A_CONCERN_TEXT,
        marking=Marking.AMBER_STRICT,
    )
    f.ConcernMessageFactory(concern=concern_a, author=official, body="確認して回答します。")
    note = f.ConcernMessageFactory(
        concern=concern_a, author=official, body=INTERNAL_NOTE, is_internal=True
    )
    attachment_a = f.ConcernAttachmentFactory(
        concern=concern_a, uploaded_by=users["company_a"], original_name="報告書.pdf"
    )
    internal_attachment = f.ConcernAttachmentFactory(
        concern=concern_a, message=note, uploaded_by=official, original_name=INTERNAL_FILE
    )
    concern_b = f.ConcernFactory(
        organization=org_b,
        submitted_by=users["company_b"],
        sector=semi,
        category=code["2-1"],
        title=B_CONCERN_TITLE,
    )

    # Semiconductors at AMBER (company A's session, chokepoint and action).
    session_a = f.DialogueSessionFactory(
        title=SEMI_AMBER["session"], sectors=[semi], participating_organizations=[org_a], **authored
    )
    joint_session = f.DialogueSessionFactory(
        title=SEMI_AMBER["joint_session"],
        sectors=[semi],
        participating_organizations=[org_a, org_b],
        **authored,
    )
    for session in (session_a, joint_session):
        session.participants.create(name=A_PARTICIPANT, organization=org_a, affiliation="技術部")
        session.participants.create(name="経済 一郎", affiliation="経済産業省")
        session.agenda_items.create(topic="chokepoints", note="レジストの流出懸念")
    joint_session.participants.create(name=B_PARTICIPANT, organization=org_b)
    chokepoint_a = f.ChokepointFactory(
        name=SEMI_AMBER["chokepoint"], sector=semi, holder_organizations=[org_a]
    )
    threat_semi = f.ThreatFactory(
        title=SEMI_AMBER["threat"],
        sector=semi,
        category=code["1-2"],
        source_session=session_a,
        source_concern=concern_a,
        **authored,
    )
    threat_semi.chokepoints.set([chokepoint_a])
    action_a = f.FollowUpActionFactory(
        title=SEMI_AMBER["action"],
        sector=semi,
        owner=users["company_a"],
        owner_organization=org_a,
        session=session_a,
        threat=threat_semi,
        concern=concern_a,
        **authored,
    )

    # Semiconductors at GREEN, linked to company A's items: every semiconductor company sees
    # them, but not what links them to company A.
    chokepoint_shared = f.ChokepointFactory(
        name="半導体GREENチョークポイント: 露光装置部材",
        sector=semi,
        marking=Marking.GREEN,
        holder_organizations=[org_a, org_b],
    )
    threat_green = f.ThreatFactory(
        title="半導体GREEN脅威: 輸出規制の強化",
        sector=semi,
        category=code["2-2"],
        marking=Marking.GREEN,
        source_session=joint_session,
        source_concern=concern_a,
        **authored,
    )
    threat_green.chokepoints.set([chokepoint_a, chokepoint_shared])
    f.FollowUpActionFactory(
        title="半導体GREENアクション: 該非判定の説明会",
        sector=semi,
        owner=official,
        marking=Marking.GREEN,
        session=session_a,
        threat=threat_semi,
        concern=concern_a,
        **authored,
    )
    f.FollowUpActionFactory(
        title="半導体GREENアクション: 取引先への周知",
        sector=semi,
        owner=users["company_a"],
        owner_organization=org_a,
        marking=Marking.GREEN,
        threat=threat_green,
        **authored,
    )

    # Batteries at AMBER.
    batt_session = f.DialogueSessionFactory(title=BATT_AMBER["session"], sectors=[batt], **authored)
    batt_chokepoint = f.ChokepointFactory(name=BATT_AMBER["chokepoint"], sector=batt)
    batt_threat = f.ThreatFactory(
        title=BATT_AMBER["threat"],
        sector=batt,
        category=code["2-1"],
        source_session=batt_session,
        **authored,
    )
    batt_threat.chokepoints.set([batt_chokepoint])
    f.FollowUpActionFactory(
        title=BATT_AMBER["action"],
        sector=batt,
        owner=users["other_sector_official"],
        threat=batt_threat,
        **authored,
    )

    # RED, naming someone who is none of the six roles.
    f.ThreatFactory(
        title=RED_TITLE,
        sector=semi,
        category=code["1-2"],
        marking=Marking.RED,
        named_users=[red_reader],
        **authored,
    )

    draft = plan_revision_start(actor=secretariat, notes="第1版の準備")
    export_job = ExportJob.objects.create(requested_by=secretariat, kind="threats", format="csv")
    f.api_key(users["company_a"], name="A-token")
    return {
        "users": users,
        "semi": semi,
        "batt": batt,
        "org_a": org_a,
        "org_b": org_b,
        "concern_a": concern_a,
        "concern_b": concern_b,
        "attachment_a": attachment_a,
        "internal_attachment": internal_attachment,
        "session_a": session_a,
        "chokepoint_a": chokepoint_a,
        "threat_semi": threat_semi,
        "action_a": action_a,
        "draft": draft,
        "export_job": export_job,
        "token_a": ApiToken.objects.get(name="A-token"),
    }


# -- requests ----------------------------------------------------------------

# First path segment → the object whose id fills {id}.
TARGETS = {
    "actions": "action_a",
    "auth": "token_a",
    "chokepoints": "chokepoint_a",
    "concerns": "concern_a",
    "export-jobs": "export_job",
    "organizations": "org_a",
    "plan-revisions": "draft",
    "sectors": "semi",
    "sessions": "session_a",
    "threats": "threat_semi",
}


def concern_key(concern, role: str | None) -> str:
    """How the caller names a concern in a URL: company users by their organization's
    reference number, officials by id."""
    return concern.reference if role in COMPANY_ROLES else str(concern.pk)


COMPANY_ROLES = ("company_a", "company_b")
MISSING_REFERENCE = "2099-9876"


def fill(path: str, world: dict, role: str | None = None) -> str:
    resource = path.removeprefix("/api/v1/").split("/")[0]

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "concern_pk":
            return concern_key(world["concern_a"], role)
        if name == "code":
            return "1-2"
        if name == "id" and "/attachments/" in path:
            return str(world["attachment_a"].pk)
        if name == "id" and resource == "concerns":
            return concern_key(world["concern_a"], role)
        if name == "id" and resource in TARGETS:
            return str(world[TARGETS[resource]].pk)
        raise AssertionError(f"no value for {{{name}}} in {path}: extend fill()")

    return re.sub(r"\{(\w+)\}", value, path)


def version_of(record) -> int:
    """The version an update must name (If-Match or `version`), as stored now."""
    return type(record).objects.values_list("version", flat=True).get(pk=record.pk)


def bodies(world: dict, user: User | None) -> dict[tuple[str, str], tuple[dict, str]]:
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
    }


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    client.raise_request_exception = False  # a 500 shows up in the table, traceback in the log
    if user is not None:
        client.force_authenticate(user)
    return client


def send(client: APIClient, method: str, url: str, data=None, fmt=None):
    handler = getattr(client, method.lower())
    if data is None:
        return handler(url)
    return handler(url, data, format=fmt)


def call(world: dict, role: str, method: str, path: str):
    """One request in its own savepoint, so no role sees another role's writes."""
    user = world["users"].get(role)
    data, fmt = bodies(world, user).get((method, path), (None, None))
    cache.clear()  # throttles
    with transaction.atomic():
        response = send(client_for(user), method, fill(path, world, role), data, fmt)
        transaction.set_rollback(True)
    return response


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        # The test client closes the response once consumed (closing it again here would
        # fire request_finished and close the database connection mid-test).
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    text = raw.decode("utf-8", errors="replace")
    if response.get("Content-Type", "").startswith("application/json") and raw:
        # Also the decoded form, in case a renderer escapes non-ASCII text.
        text += json.dumps(json.loads(raw), ensure_ascii=False)
    return text


# -- the sweep ---------------------------------------------------------------

ALL_OPERATIONS = sorted(schema_operations() | set(EXPECTED))


def test_every_operation_has_an_expectation_and_every_expectation_an_operation():
    missing = sorted(schema_operations() - set(EXPECTED))
    stale = sorted(set(EXPECTED) - schema_operations())
    assert not missing, f"operations without a row in EXPECTED: {missing}"
    assert not stale, f"rows in EXPECTED for operations that no longer exist: {stale}"
    assert all(set(row) == set(ROLES) for row in EXPECTED.values())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"), ALL_OPERATIONS, ids=[f"{m} {p}" for m, p in ALL_OPERATIONS]
)
def test_operation_status_and_body_per_role(world, method, path):
    assert (method, path) in schema_operations(), "stale row in EXPECTED"
    assert (method, path) in EXPECTED, "new operation: add its row to EXPECTED"

    statuses, leaks = {}, []
    for role in ROLES:
        response = call(world, role, method, path)
        statuses[role] = response.status_code
        if 200 <= response.status_code < 300:
            text = body_text(response)
            leaks += [(role, secret) for secret in NEVER_SHOWN[role] if secret in text]

    assert statuses == EXPECTED[(method, path)]
    assert not leaks, f"2xx bodies show what the caller must not see: {leaks}"


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


def obtain_token(username: str) -> str:
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


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
