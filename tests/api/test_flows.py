"""DOMAIN.md flows 1 and 2 through the documented API only (token auth, JSON, multipart)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dialogue.models import FollowUpAction, Threat
from tests.support.auth import token_client


@pytest.mark.django_db
def test_flow_1_official_records_a_semiconductor_session(people, semiconductors):
    official = token_client("semi_official")
    sectors = official.get("/api/v1/sectors/").json()
    semi_id = next(s["id"] for s in sectors if s["code"] == "semiconductors")
    org_a = official.get("/api/v1/organizations/?search=株式会社A").json()["results"][0]["id"]
    photoresist = official.get("/api/v1/chokepoints/?search=レジスト").json()["results"][0]

    session = official.post(
        "/api/v1/sessions/",
        {
            "title": "半導体分野 戦略的対話（第1回）",
            "sectors": [semi_id],
            "held_on": "2026-11-20",
            "format": "company_hearing",
            "marking": "AMBER",
            "participating_organizations": [org_a],
            "participants": [
                {"name": "山田 太郎", "organization": org_a, "affiliation": "技術本部"},
                {"name": "経済 花子", "organization": None, "affiliation": "経済産業省"},
            ],
            "agenda": [{"topic": "chokepoints", "note": "フォトレジストの流出懸念"}],
            "minutes": "## 議事\n- 退職者経由の流出懸念\n- 原料の供給途絶",
            "chokepoints": [photoresist["id"]],
        },
        format="json",
    )
    assert session.status_code == 201, session.content
    session = session.json()
    assert session["participants"][0]["name"] == "山田 太郎"
    assert session["agenda"] == [
        {
            "topic": "chokepoints",
            "note": "フォトレジストの流出懸念",
            "threat": None,
            "chokepoint": None,
            "dependency": None,
        }
    ]

    threat_ids = []
    for code, title in [("1-2", "退職者を通じた技術流出"), ("2-1", "原料の供給途絶")]:
        threat = official.post(
            "/api/v1/threats/",
            {
                "title": title,
                "sector": semi_id,
                "category": code,
                "likelihood": 4,
                "impact": 5,
                "source_session": session["id"],
                "chokepoints": [photoresist["id"]],
            },
            format="json",
        )
        assert threat.status_code == 201, threat.content
        assert threat.json()["severity"] == 20
        threat_ids.append(threat.json()["id"])

    me = official.get("/api/v1/me/").json()
    for index, threat_id in enumerate([*threat_ids, threat_ids[0]]):
        action = official.post(
            "/api/v1/actions/",
            {
                "title": f"フォローアップ{index + 1}",
                "sector": semi_id,
                "owner": me["id"],
                "due_on": (datetime.date(2026, 12, 1) + datetime.timedelta(days=index)).isoformat(),
                "pillar": "protection",
                "session": session["id"],
                "threat": threat_id,
            },
            format="json",
        )
        assert action.status_code == 201, action.content

    version = official.get(f"/api/v1/sessions/{session['id']}/").json()["version"]
    held = official.patch(
        f"/api/v1/sessions/{session['id']}/", {"status": "held", "version": version}, format="json"
    )
    assert held.status_code == 200 and held.json()["status"] == "held"
    assert Threat.objects.filter(source_session_id=session["id"]).count() == 2
    assert FollowUpAction.objects.filter(session_id=session["id"]).count() == 3
    listed = official.get("/api/v1/threats/?sector=semiconductors&category=1-2").json()["results"]
    assert [t["title"] for t in listed] == ["退職者を通じた技術流出"]


@pytest.mark.django_db
def test_flow_2_company_concern_answered_linked_and_acted_on(people, semiconductors):
    company = token_client("company_a")
    semi_id = next(
        s["id"] for s in company.get("/api/v1/sectors/").json() if s["code"] == "semiconductors"
    )
    concern = company.post(
        "/api/v1/concerns/",
        {
            "sector": semi_id,
            "category": "2-2",
            "title": "新たな輸出規制への対応",
            "description": "A国の新たな輸出規制の対象となるか確認したい。",
            "desired_support": "information",
        },
        format="json",
    )
    assert concern.status_code == 201, concern.content
    concern = concern.json()
    assert concern["marking"] == "AMBER+STRICT"
    # The company names its concern by its organization's number, never by the global id.
    assert "id" not in concern
    reference = concern["reference"]

    pdf = SimpleUploadedFile(
        "報告書.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n", "application/pdf"
    )
    upload = company.post(
        f"/api/v1/concerns/{reference}/attachments/", {"file": pdf}, format="multipart"
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["original_name"] == "報告書.pdf"

    official = token_client("semi_official")
    [listed] = official.get("/api/v1/concerns/?status=submitted").json()["results"]
    assert listed["reference"] == reference
    concern = {**concern, "id": listed["id"]}
    reply = official.post(
        f"/api/v1/concerns/{concern['id']}/messages/",
        {"body": "確認して回答します。"},
        format="json",
    )
    assert reply.status_code == 201
    note = official.post(
        f"/api/v1/concerns/{concern['id']}/messages/",
        {"body": "内部: 規制当局に照会", "is_internal": True},
        format="json",
    )
    assert note.status_code == 201
    threat = official.post(
        "/api/v1/threats/",
        {
            "title": "A国の輸出規制",
            "sector": semi_id,
            "category": "2-2",
            "likelihood": 3,
            "impact": 4,
            "source_concern": concern["id"],
        },
        format="json",
    ).json()
    assert threat["source_organization"] == "株式会社A"
    action = official.post(
        "/api/v1/actions/",
        {
            "title": "規制内容の説明",
            "sector": semi_id,
            "owner": people["official"].pk,
            "due_on": "2026-12-10",
            "pillar": "partnership",
            "concern": concern["id"],
            "threat": threat["id"],
        },
        format="json",
    )
    assert action.status_code == 201
    # The answer moved the concern on (submitted → triaged → answered): the company sees it.
    mine = company.get(f"/api/v1/concerns/{reference}/").json()
    assert mine["status"] == "answered"

    # The company sees the reply but never the internal note.
    thread = company.get(f"/api/v1/concerns/{reference}/messages/").json()
    assert [m["body"] for m in thread] == ["確認して回答します。"]
    download = company.get(upload.json()["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E5%A0%B1%E5%91%8A%E6%9B%B8.pdf" in download["Content-Disposition"]
