"""DOMAIN.md flow 7 through the documented API: the semiconductor official imports five
years of trade statistics for photoresist raw materials and high-purity fluorine compounds,
sees China's share pass the threshold, links the figure to the supply-disruption threat
(2-1) and two company concerns, records the topic on the agenda of the next 日米経済版
「２＋２」 working-level meeting (a session with no sector), and the plan-revision export
then carries the dependency table and the chart."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from dialogue.models import Dependency
from dialogue.services.plans import plan_revision_start
from tests import factories as f
from tests.support.auth import signed_in_api

pytestmark = pytest.mark.django_db

TWO_PLUS_TWO = "japan-us-economic-2plus2"
CHINA = {2019: 38, 2020: 44, 2021: 51, 2022: 57, 2023: 64}


def trade_statistics() -> bytes:
    lines = ["sector,product,hs_code,stage,country,year,value,source"]
    for product, hs in (("フォトレジスト原料", "2914.39"), ("高純度フッ化物", "2811.11")):
        for year, china in CHINA.items():
            for country, value in (("CN", china), ("KR", 100 - china - 10), ("US", 10)):
                lines.append(
                    f"semiconductors,{product},{hs},upstream,{country},{year},{value * 1000},"
                    "財務省貿易統計"
                )
    return ("\n".join(lines) + "\n").encode()


def csv_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("trade.csv", trade_statistics(), content_type="text/csv")


def test_flow_7_import_see_china_pass_the_threshold_link_and_export(semiconductors, code):
    official = f.OfficialFactory(sectors=[semiconductors])
    secretariat = f.SecretariatFactory()
    threat = f.ThreatFactory(
        sector=semiconductors, category=code("2-1"), title="原料・部品の供給途絶"
    )
    concerns = [
        f.ConcernFactory(sector=semiconductors, title=f"フッ化物の調達難{n}") for n in range(2)
    ]
    api = signed_in_api(official)

    # A dry run first: what would change, nothing saved.
    dry = api.post("/api/v1/dependencies/import/", {"file": csv_upload()}, format="multipart")
    assert dry.status_code == 200, dry.content
    assert dry.json()["dry_run"] is True and dry.json()["created"] == 30
    assert not Dependency.objects.filter(reference_key=None).exists()

    # Then the import itself; importing again changes nothing.
    done = api.post(
        "/api/v1/dependencies/import/",
        {"file": csv_upload(), "dry_run": "false", "marking": "AMBER"},
        format="multipart",
    )
    assert done.status_code == 201, done.content
    again = api.post(
        "/api/v1/dependencies/import/",
        {"file": csv_upload(), "dry_run": "false"},
        format="multipart",
    )
    assert again.json()["unchanged"] == 30 and again.json()["created"] == 0

    # China's share passes the threshold (50 %) from 2021 on.
    passing = api.get(
        "/api/v1/dependencies/",
        {"country": "CN", "min_share": 50, "search": "フッ化物", "ordering": "year"},
    ).json()["results"]
    assert [row["year"] for row in passing] == [2021, 2022, 2023]
    latest = passing[-1]
    assert latest["country_name"] == "中国" and latest["share_pct"] == "64.00"

    # Link it to the supply-disruption threat and two company concerns.
    linked = api.patch(
        f"/api/v1/dependencies/{latest['id']}/",
        {
            "threats": [threat.pk],
            "concerns": [c.pk for c in concerns],
            "version": latest["version"],
        },
        format="json",
    )
    assert linked.status_code == 200, linked.content
    assert linked.json()["threats"] == [threat.pk]
    assert sorted(linked.json()["concerns"]) == sorted(c.pk for c in concerns)

    # Record the topic on the agenda of the next 日米経済版「２＋２」 working-level meeting, a
    # session under the forum with no sector.
    two_plus_two = f.forum(TWO_PLUS_TWO, officials=[official])
    meeting = api.post(
        "/api/v1/sessions/",
        {
            "title": "日米経済版「２＋２」実務者会合（第4回）",
            "forum": two_plus_two.pk,
            "held_on": "2030-03-02",
            "format": "international",
            "marking": "AMBER",
            "agenda": [
                {
                    "topic": "like_minded",
                    "note": "フッ化物の中国依存と同志国での代替調達",
                    "threat": threat.pk,
                    "dependency": latest["id"],
                }
            ],
        },
        format="json",
    )
    assert meeting.status_code == 201, meeting.content
    assert meeting.json()["sectors"] == []
    item = meeting.json()["agenda"][0]
    assert (item["threat"], item["dependency"]) == (threat.pk, latest["id"])
    listed = api.get("/api/v1/sessions/", {"forum": two_plus_two.pk}).json()["results"]
    assert listed[0]["agenda"][0]["dependency"] == latest["id"]

    # The plan-revision export carries the dependency table and the chart.
    revision = plan_revision_start(actor=secretariat)
    plan_api = signed_in_api(secretariat)
    xlsx = plan_api.get(f"/api/v1/plan-revisions/{revision.pk}/export/", {"format": "xlsx"})
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
    sheet = next(ws for ws in book.worksheets if "依存" in ws.title)
    rows = [row for row in sheet.iter_rows(values_only=True)]
    header = rows[1]
    line = next(dict(zip(header, row, strict=False)) for row in rows[2:] if row[0] == latest["id"])
    assert line["品目・物資"] == "高純度フッ化物"
    assert line["特定国依存"] == "特定国依存"
    assert line["関連する脅威"] == f"#{threat.pk}"

    pdf = plan_api.get(f"/api/v1/plan-revisions/{revision.pk}/export/", {"format": "pdf"})
    assert pdf.status_code == 200
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages
    )
    assert "依存マップ" in text  # the chart's title, drawn in the report
    assert "高純度フッ化物" in text


def test_an_import_with_errors_answers_400_by_row_and_saves_nothing(semiconductors):
    official = f.OfficialFactory(sectors=[semiconductors])
    bad = trade_statistics().replace(b"US,2022", b"XX,2022")

    response = signed_in_api(official).post(
        "/api/v1/dependencies/import/",
        {"file": SimpleUploadedFile("t.csv", bad), "dry_run": "false"},
        format="multipart",
    )

    assert response.status_code == 400
    body = response.json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(13, "country"), (28, "country")]
    assert not Dependency.objects.filter(reference_key=None).exists()


def test_company_users_cannot_import(semiconductors):
    company = f.CompanyUserFactory()

    response = signed_in_api(company).post(
        "/api/v1/dependencies/import/", {"file": csv_upload()}, format="multipart"
    )

    assert response.status_code == 403
