"""Snapshots, diffs and aggregates of a plan revision obey the same visibility as the records.

A diff names other records (a threat's source session and concern, its chokepoints, an
action's threat); a reader who may not see such a record gets "(not shown)" on pages and
in files, and null in the API — never its id. Concern counts pass the k ≥ 3 rule in the
API as on pages; RED concerns never enter a plan's counts; a line whose record is now RED
(or otherwise out of the reader's sight) is not shown from an older snapshot either; and
session titles, which may name a company, are not copied into the plan exports.
"""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from dialogue.enums import Marking
from dialogue.models import PlanRevisionItem, Threat
from dialogue.services.exports import plan_export_write
from dialogue.services.plans import plan_revision_start
from tests import factories as f
from tests.exports.conftest import (
    CHOKEPOINT,
    THREAT_GREEN,
    parse_csv,
    read_csv_zip,
    read_xlsx,
    signed_in,
)
from tests.support.auth import signed_in_api

pytestmark = pytest.mark.django_db

COMPANY_IN_TITLE = "株式会社サンプル半導体材料"
SESSION_WITH_COMPANY = f"半導体材料企業ヒアリング（{COMPANY_IN_TITLE}）"
Kind = PlanRevisionItem.Kind


def api_as(user) -> APIClient:
    client = signed_in_api(user)
    return client


def export(revision, user, format, max_marking=None) -> bytes:
    target = io.BytesIO()
    with translation.override("en"):
        plan_export_write(
            revision=revision, user=user, format=format, max_marking=max_marking, target=target
        )
    return target.getvalue()


def xlsx_text(data: bytes) -> str:
    sheets = read_xlsx(data)
    return "\n".join(str(cell) for rows in sheets.values() for row in rows for cell in row)


def csv_text(data: bytes) -> str:
    files = read_csv_zip(data)
    return "\n".join(
        cell for content in files.values() for row in parse_csv(content) for cell in row
    )


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(data)).pages
    # Without a Japanese font installed, fallback fonts extract as UTF-16 code units.
    return "\n".join((page.extract_text() or "").replace("\x00", "") for page in pages)


@pytest.fixture
def sources_changed(published):
    """After the first edition: the GREEN threat now names an AMBER+STRICT concern, an AMBER
    session and a new AMBER chokepoint of semiconductors; the second edition holds that."""
    r = published.records
    secret_chokepoint = f.ChokepointFactory(
        name="AMBER限定チョークポイント", sector=published.semis, marking=Marking.AMBER
    )
    Threat.objects.filter(pk=r["threat_green"].pk).update(
        source_concern=r["concern_a"], source_session=r["session_amber"]
    )
    r["threat_green"].chokepoints.add(secret_chokepoint)
    r["secret_chokepoint"] = secret_chokepoint
    published.second = plan_revision_start(actor=published.people["secretariat"])
    return published


# --- 1. references to records the reader may not see -------------------------------


def test_the_diff_api_hides_references_the_reader_may_not_see(sources_changed):
    w = sources_changed
    r = w.records
    url = f"/api/v1/plan-revisions/{w.second.pk}/diff/"
    body = api_as(w.people["batt_official"]).get(url).json()
    change = next(c for c in body if c["key"] == f"threat:{r['threat_green'].pk}")
    assert change["fields"]["source_concern"] == {"old": None, "new": None}
    # The GREEN session it named before is still named; the AMBER one is not.
    assert change["fields"]["source_session"] == {"old": r["session_green"].pk, "new": None}
    assert set(change["hidden"]) >= {"source_concern", "source_session", "chokepoints"}
    assert change["data"]["source_concern"] is None
    assert change["data"]["source_session"] is None
    assert r["secret_chokepoint"].pk not in change["data"]["chokepoints"]
    assert r["chokepoint"].pk in change["data"]["chokepoints"]  # GREEN: still named
    # The threat API says the same: null.
    threat = api_as(w.people["batt_official"]).get(f"/api/v1/threats/{r['threat_green'].pk}/")
    assert threat.json()["source_concern"] is None

    # Whoever may see them gets the ids.
    body = api_as(w.people["semi_official"]).get(url).json()
    change = next(c for c in body if c["key"] == f"threat:{r['threat_green'].pk}")
    assert change["fields"]["source_concern"] == {"old": None, "new": r["concern_a"].pk}
    assert change["fields"]["source_session"] == {
        "old": r["session_green"].pk,
        "new": r["session_amber"].pk,
    }
    assert change["hidden"] == []


def test_the_changes_page_shows_not_shown_instead_of_an_id(sources_changed):
    w = sources_changed
    r = w.records
    client = signed_in(w.people["batt_official"])
    with translation.override("en"):
        page = client.get(
            reverse("plans:plan-diff", args=[w.second.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert THREAT_GREEN in page
    assert "(not shown)" in page
    # Field by field: records of other kinds may share a small id (the old source session,
    # which this official may see, can have the hidden concern's number).
    changes = {
        label: (old, new)
        for label, old, new in re.findall(
            r"<strong>([^<]+)</strong>: <del>(.*?)</del> → <ins>(.*?)</ins>", page
        )
    }
    hidden = {
        "Source concern": r["concern_a"].pk,
        "Source session": r["session_amber"].pk,
        "Related chokepoints": r["secret_chokepoint"].pk,
    }
    for label, pk in hidden.items():
        old, new = changes[label]
        assert "(not shown)" in new, label
        assert not re.search(rf"#{pk}(?!\d)", old + new), label

    client = signed_in(w.people["semi_official"])
    page = client.get(reverse("plans:plan-diff", args=[w.second.pk])).content.decode()
    assert f"<ins>#{r['session_amber'].pk}</ins>" in page


def test_the_changes_sheet_of_the_export_hides_references_too(sources_changed):
    w = sources_changed
    r = w.records
    sheets = read_xlsx(export(w.second, w.people["batt_official"], "xlsx"))
    rows = [row for row in sheets["Changes since the previous revi"][2:]]
    by_field = {row[6]: (row[7], row[8]) for row in rows if row[4] == THREAT_GREEN}
    assert by_field["Source concern"] == (None, "(not shown)")
    assert by_field["Source session"] == (f"#{r['session_green'].pk}", "(not shown)")
    assert f"#{r['secret_chokepoint'].pk}" not in by_field["Related chokepoints"][1]
    assert "(not shown)" in by_field["Related chokepoints"][1]


# --- 2. the diff API obeys k ≥ 3 ------------------------------------------------------


def test_the_diff_api_shows_no_concern_count_behind_fewer_than_three_organizations(published):
    body = (
        api_as(published.people["secretariat"])
        .get(f"/api/v1/plan-revisions/{published.first.pk}/diff/")
        .json()
    )
    counts = {
        (c["data"]["sector"], c["data"]["category"]): c["data"]
        for c in body
        if c["kind"] == Kind.CONCERN_AGGREGATE
    }
    # 2 concerns from 1 organization: "fewer than 3" is also "none", so nothing changed.
    assert ("semiconductors", "2-1") not in counts
    assert counts[("semiconductors", "2-2")]["concerns"] == 4
    assert counts[("batteries", "1-2")]["concerns"] == 3
    for change in body:
        assert "organizations" not in change["data"] and "organizations" not in change["fields"]


def test_the_diff_api_shows_a_count_falling_below_three_organizations_as_null(published, code):
    from dialogue.models import Concern

    Concern.objects.filter(sector=published.batteries, organization=published.orgs["c"]).delete()
    second = plan_revision_start(actor=published.people["secretariat"])
    body = api_as(published.people["batt_official"]).get(
        f"/api/v1/plan-revisions/{second.pk}/diff/"
    )
    change = next(c for c in body.json() if c["key"] == "concern_aggregate:batteries:1-2")
    assert change["fields"] == {"concerns": {"old": 3, "new": None}}
    assert change["data"] == {"sector": "batteries", "category": "1-2", "concerns": None}


# --- 3. RED concerns stay out of the plan's counts ------------------------------------


def test_a_red_concern_is_not_counted_in_the_plan(world, code):
    author = f.CompanyUserFactory(organization=world.orgs["d"])
    f.ConcernFactory(
        organization=world.orgs["d"],
        submitted_by=author,
        sector=world.batteries,
        category=code("1-2"),
        marking=Marking.RED,
        named_users=[author],
    )
    revision = plan_revision_start(actor=world.people["secretariat"])
    aggregate = PlanRevisionItem.objects.get(
        revision=revision, kind=Kind.CONCERN_AGGREGATE, data__sector="batteries"
    )
    assert (aggregate.data["concerns"], aggregate.data["organizations"]) == (3, 3)
    sheets = read_xlsx(export(revision, world.people["batt_official"], "xlsx"))
    cells = {(row[0], row[2]): row[7] for row in sheets["Threats by sector × code"][2:]}
    assert cells[("batteries", "1-2")] == 3


# --- reading a snapshot: the most restrictive of then and now -------------------------


def test_a_snapshot_line_whose_record_is_now_red_is_no_longer_shown(published):
    w = published
    r = w.records
    Threat.objects.filter(pk=r["threat_green"].pk).update(marking=Marking.RED)
    r["threat_green"].named_users.set([w.people["secretariat"]])
    reader = w.people["batt_official"]
    assert THREAT_GREEN not in xlsx_text(export(w.first, reader, "xlsx"))
    page = signed_in(reader).get(reverse("plans:plan-detail", args=[w.first.pk]))
    assert THREAT_GREEN not in page.content.decode()
    body = api_as(reader).get(f"/api/v1/plan-revisions/{w.first.pk}/diff/").json()
    assert f"threat:{r['threat_green'].pk}" not in {c["key"] for c in body}
    # The person named on it still reads the line, as the edition recorded it.
    assert THREAT_GREEN in xlsx_text(export(w.first, w.people["secretariat"], "xlsx"))


# --- 7. no company names through session titles ---------------------------------------


@pytest.fixture
def session_naming_a_company(world, code):
    session = f.DialogueSessionFactory(
        title=SESSION_WITH_COMPANY, sectors=[world.semis], marking=Marking.GREEN
    )
    session.chokepoints.add(world.records["chokepoint"])
    Threat.objects.filter(pk=world.records["threat_green"].pk).update(source_session=session)
    world.records["session_company"] = session
    world.first = plan_revision_start(actor=world.people["secretariat"])
    return world


def citation(session) -> str:
    return f"Dialogue session of {session.held_on.isoformat()} (#{session.pk})"


@pytest.mark.parametrize("reader", ["secretariat", "semi_official"])
def test_the_plan_export_keeps_session_titles_out_in_every_format(
    session_naming_a_company, reader, settings, monkeypatch
):
    import weasyprint

    rendered = []
    html_class = weasyprint.HTML

    def recording_html(*args, string=None, **kwargs):
        rendered.append(string)
        return html_class(*args, string=string, **kwargs)

    # What the PDF is drawn from: checked too, since without a Japanese font installed
    # the PDF's Japanese text cannot be extracted.
    monkeypatch.setattr(weasyprint, "HTML", recording_html)
    w = session_naming_a_company
    user = w.people[reader]
    session = w.records["session_company"]
    xlsx = xlsx_text(export(w.first, user, "xlsx"))
    csv = csv_text(export(w.first, user, "csv"))
    settings.EXPORT_PDF_MAX_ROWS = 200
    pdf = pdf_text(export(w.first, user, "pdf"))
    for text in (xlsx, csv):
        assert COMPANY_IN_TITLE not in text
        assert citation(session) in text  # the source is still traceable
        assert CHOKEPOINT in text
    assert COMPANY_IN_TITLE not in pdf
    assert f"(#{session.pk})" in pdf
    assert COMPANY_IN_TITLE not in rendered[0]
    assert THREAT_GREEN in rendered[0] and citation(session) in rendered[0]
    # … which is what the revision page promises.
    with translation.override("en"):
        page = signed_in(user).get(
            reverse("plans:plan-detail", args=[w.first.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert "Company names are never included." in page.content.decode()


def test_the_revision_page_lists_only_concern_counts_that_may_be_shown(published):
    url = reverse("plans:plan-detail", args=[published.first.pk]) + "?kind=concern_aggregate"
    with translation.override("en"):
        page = (
            signed_in(published.people["secretariat"])
            .get(url, HTTP_ACCEPT_LANGUAGE="en")
            .content.decode()
        )
    assert "semiconductors × 2-2: 4" in page
    # 2 concerns from 1 organization: not even a "fewer than 3" line tells they exist.
    assert "semiconductors × 2-1" not in page


def test_a_line_reads_under_the_higher_of_its_marking_then_and_now(published):
    w = published
    Threat.objects.filter(pk=w.records["threat_green"].pk).update(marking=Marking.AMBER)
    sheets = read_xlsx(export(w.first, w.people["semi_official"], "xlsx"))
    threats = sheets["Threats"]
    marking = threats[1].index("Marking")
    [row] = [row for row in threats[2:] if row[5] == THREAT_GREEN]
    assert row[marking] == "TLP:AMBER"  # recorded GREEN in the edition, AMBER now
    page = signed_in(w.people["semi_official"]).get(reverse("plans:plan-detail", args=[w.first.pk]))
    line = next(line for line in page.context["lines"] if line["title"] == THREAT_GREEN)
    assert line["marking"] == Marking.AMBER
