"""The tracker import pages: upload → the dry run's report → confirm, all or nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dialogue.models import FollowUpAction, Threat
from tests import factories as f
from tests.support.auth import signed_in

pytestmark = pytest.mark.django_db

THREATS_CSV = (
    "分野,件名,脅威コード,発生可能性,影響度\n"
    "semiconductors,退職技術者を通じたノウハウ流出,1-2,4,5\n"
    "semiconductors,高純度材料の供給途絶,2-1,3,4\n"
)


def upload(client, kind: str, text: str, marking: str = "AMBER"):
    return client.post(
        reverse("workspace:tracker-import", args=[kind]),
        {"file": SimpleUploadedFile("tracker.csv", text.encode(), "text/csv"), "marking": marking},
    )


def test_upload_shows_the_dry_run_then_confirming_saves_every_row(as_semi, semi_official):
    response = upload(as_semi, "threats", THREATS_CSV)
    assert response.status_code == 302
    report = as_semi.get(response["Location"])
    page = report.content.decode()
    assert "退職技術者を通じたノウハウ流出" in page
    assert not Threat.objects.exists()  # nothing saved by the dry run

    confirm = report.context["confirm"]
    saved = as_semi.post(
        reverse("workspace:tracker-import", args=["threats"]),
        {"token": confirm["token"].value(), "marking": "AMBER"},
    )
    assert saved.status_code == 302
    assert saved["Location"] == reverse("workspace:threat-list")
    assert set(Threat.objects.values_list("title", flat=True)) == {
        "退職技術者を通じたノウハウ流出",
        "高純度材料の供給途絶",
    }
    # The token is used up: posting it again saves nothing more.
    again = as_semi.post(
        reverse("workspace:tracker-import", args=["threats"]),
        {"token": confirm["token"].value(), "marking": "AMBER"},
    )
    assert again.status_code == 302 and Threat.objects.count() == 2


def test_a_bad_file_lists_its_problems_by_row_and_saves_nothing(as_semi):
    response = upload(as_semi, "threats", THREATS_CSV + "semiconductors,壊れた行,9-9,0,6\n")
    assert response.status_code == 400
    rows = [(e.row, e.column) for e in response.context["report"].errors]
    assert (4, "threat_code") in rows and (4, "likelihood") in rows and (4, "impact") in rows
    assert not Threat.objects.exists()


def test_actions_are_imported_from_their_own_page(as_semi, semi_official):
    text = (
        "sector,title,owner,due_on\n"
        f"semiconductors,退職時手続きを共有する,{semi_official.username},2027-01-15\n"
    )
    token = as_semi.get(upload(as_semi, "actions", text)["Location"]).context["confirm"]["token"]
    as_semi.post(
        reverse("workspace:tracker-import", args=["actions"]),
        {"token": token.value(), "marking": "AMBER"},
    )
    assert FollowUpAction.objects.get().owner == semi_official


def test_another_users_token_is_refused(as_semi, semiconductors):
    token = as_semi.get(upload(as_semi, "threats", THREATS_CSV)["Location"]).context["confirm"]
    other = signed_in(f.OfficialFactory(sectors=[semiconductors]))
    response = other.post(
        reverse("workspace:tracker-import", args=["threats"]),
        {"token": token["token"].value(), "marking": "AMBER"},
    )
    assert response.status_code == 302
    assert not Threat.objects.exists()


def test_an_unknown_kind_is_not_found(as_semi):
    assert as_semi.get("/import/concerns/").status_code == 404


def test_companies_cannot_import(semiconductors):
    company = signed_in(f.CompanyUserFactory())
    response = company.get(reverse("workspace:tracker-import", args=["threats"]))
    assert response.status_code in (302, 403, 404)
