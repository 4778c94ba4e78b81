"""The export endpoints: files, errors, and jobs for large exports."""

import pytest

from dialogue.models import ExportJob
from tests.exports.conftest import THREAT_GREEN, read_csv_zip, read_xlsx
from tests.support.auth import signed_in_api as api

pytestmark = pytest.mark.django_db


def plan_url(world, query="format=xlsx"):
    return f"/api/v1/plan-revisions/{world.first.pk}/export/?{query}"


@pytest.mark.parametrize(
    ("format", "content_type", "magic"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("csv", "application/zip", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)
def test_plan_export_answers_the_file(published, format, content_type, magic):
    response = api(published.people["semi_official"]).get(plan_url(published, f"format={format}"))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Marking"].startswith("TLP:")
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment;" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(magic)


@pytest.mark.parametrize(
    ("role", "status"), [(None, 401), ("company_a", 404), ("batt_official", 200)]
)
def test_plan_export_is_for_officials(published, role, status):
    user = published.people[role] if role else None
    assert api(user).get(plan_url(published)).status_code == status


@pytest.mark.parametrize("query", ["format=docx", "", "format=xlsx&max_marking=PURPLE"])
def test_bad_parameters_answer_400(published, query):
    response = api(published.people["secretariat"]).get(plan_url(published, query))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_max_marking_green_over_the_api(published):
    response = api(published.people["secretariat"]).get(
        plan_url(published, "format=csv&max_marking=GREEN")
    )
    assert response["X-Marking"] == "TLP:GREEN"
    files = read_csv_zip(b"".join(response.streaming_content))
    assert all(content.decode("utf-8-sig").startswith("TLP:GREEN") for content in files.values())


def test_threat_export_validates_filters_like_the_list(world):
    client = api(world.people["secretariat"])
    assert client.get("/api/v1/threats/?severity_min=abc").status_code == 400
    assert client.get("/api/v1/threats/export/?format=csv&severity_min=abc").status_code == 400
    assert client.get("/api/v1/threats/export/?format=pdf").status_code == 400
    assert api().get("/api/v1/threats/export/?format=csv").status_code == 401


def test_large_exports_answer_202_with_a_job_to_poll(
    published, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_ROWS = 0
    owner = published.people["semi_official"]
    client = api(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/api/v1/threats/export/?format=xlsx&marking=GREEN")
    assert response.status_code == 202
    job = response.json()
    assert response["Location"] == job["url"] == f"/api/v1/export-jobs/{job['id']}/"
    polled = client.get(job["url"]).json()
    assert polled["status"] == "done" and polled["progress"] == 100
    assert polled["marking"] == "TLP:GREEN"
    download = client.get(polled["download_url"])
    assert download.status_code == 200
    sheet = next(iter(read_xlsx(b"".join(download.streaming_content)).values()))
    assert THREAT_GREEN in [row[1] for row in sheet[2:]]
    # Nobody else sees the job or its file.
    other = api(published.people["secretariat"])
    assert other.get(job["url"]).status_code == 404
    assert other.get(polled["download_url"]).status_code == 404
    assert other.get("/api/v1/export-jobs/").json()["results"] == []


def test_a_large_plan_export_becomes_a_job(published, settings, django_capture_on_commit_callbacks):
    settings.EXPORT_SYNC_MAX_ROWS = 0
    client = api(published.people["secretariat"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(plan_url(published, "format=pdf&max_marking=AMBER"))
    assert response.status_code == 202
    job = ExportJob.objects.get(pk=response.json()["id"])
    assert job.status == ExportJob.Status.DONE
    assert job.params["max_marking"] == "AMBER"
    assert job.filename.endswith(".pdf") and job.marking == "TLP:AMBER"
    assert job.file.name.startswith("exports/")


def test_a_job_not_ready_cannot_be_downloaded(published, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 0
    client = api(published.people["secretariat"])
    response = client.get("/api/v1/threats/export/?format=csv")  # on_commit never runs here
    job = response.json()
    assert job["status"] == "queued" and job["download_url"] is None
    assert client.get(f"{job['url']}download/").status_code == 409
