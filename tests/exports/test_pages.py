"""Workspace pages for plan revisions and exports (DOMAIN.md flow 5 from the browser)."""

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import translation

from dialogue import plans_urls
from dialogue.enums import PlanRevisionStatus
from dialogue.models import ExportJob, PlanRevision
from dialogue.services.threats import threat_update
from tests import factories as f
from tests.exports.conftest import (
    CHOKEPOINT,
    COMPANY_A,
    CONCERN_A_TITLE,
    SEMI_AMBER_SESSION,
    THREAT_AMBER,
    THREAT_BATT,
    read_xlsx,
    signed_in,
)

pytestmark = pytest.mark.django_db


def urls(world, job):
    for pattern in plans_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        kwargs = {}
        if "<int:pk>" in route:
            kwargs["pk"] = job.pk if route.startswith("exports/") else world.first.pk
        if "<slug:kind>" in route:
            kwargs["kind"] = "threats"
        yield pattern.name, reverse(f"plans:{pattern.name}", kwargs=kwargs)


def test_every_page_sends_anonymous_visitors_to_sign_in_and_companies_to_the_portal(published):
    job = ExportJob.objects.create(
        requested_by=published.people["secretariat"], kind="threats", format="csv"
    )
    company = signed_in(published.people["company_a"])
    for name, url in urls(published, job):
        response = Client().get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("workspace:login")), name
        for method in (company.get, company.post):
            response = method(url)
            assert response.status_code == 302 and response["Location"] == "/portal/", name


def test_someone_elses_export_job_is_404(published):
    job = ExportJob.objects.create(
        requested_by=published.people["secretariat"], kind="threats", format="csv"
    )
    client = signed_in(published.people["semi_official"])
    assert client.get(reverse("plans:export-job", args=[job.pk])).status_code == 404
    assert client.get(reverse("plans:export-job-download", args=[job.pk])).status_code == 404


def test_the_revision_page_shows_lines_with_why_is_this_here(published):
    client = signed_in(published.people["semi_official"])
    with translation.override("en"):
        response = client.get(
            reverse("plans:plan-detail", args=[published.first.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert THREAT_AMBER in page and SEMI_AMBER_SESSION in page
    assert THREAT_BATT not in page  # another sector's AMBER line
    assert COMPANY_A not in page and CONCERN_A_TITLE not in page
    chokepoints = client.get(
        reverse("plans:plan-detail", args=[published.first.pk]) + "?kind=chokepoint"
    ).content.decode()
    assert CHOKEPOINT in chokepoints


def test_flow_5_start_publish_change_diff_and_export_from_the_browser(published):
    secretariat = published.people["secretariat"]
    client = Client(enforce_csrf_checks=False)
    client.force_login(secretariat)
    threat_update(
        threat=published.records["threat_amber"],
        actor=secretariat,
        changes={"impact": 5},
        expected_version=None,
    )
    response = client.post(reverse("plans:plan-start"), {"notes": "第2版の準備"})
    second = PlanRevision.objects.get(number=2)
    assert response["Location"] == reverse("plans:plan-detail", args=[second.pk])
    client.post(reverse("plans:plan-publish", args=[second.pk]))
    second.refresh_from_db()
    assert second.status == PlanRevisionStatus.PUBLISHED

    diff = client.get(reverse("plans:plan-diff", args=[second.pk])).content.decode()
    assert THREAT_AMBER in diff
    assert "<del>4</del> → <ins>5</ins>" in diff  # impact

    response = client.get(reverse("plans:plan-export", args=[second.pk]) + "?format=xlsx")
    assert response.status_code == 200
    sheets = read_xlsx(b"".join(response.streaming_content))
    assert len(sheets) == 10


def test_only_the_plan_team_changes_revisions(published):
    official = signed_in(published.people["semi_official"])
    assert official.post(reverse("plans:plan-start")).status_code == 403
    assert (
        official.post(reverse("plans:plan-publish", args=[published.first.pk])).status_code == 403
    )
    secretariat = signed_in(published.people["secretariat"])
    # A published revision is never deleted nor refreshed.
    assert (
        secretariat.post(reverse("plans:plan-delete", args=[published.first.pk])).status_code == 403
    )
    response = secretariat.post(reverse("plans:plan-refresh", args=[published.first.pk]))
    assert response.status_code == 302
    assert PlanRevision.objects.filter(pk=published.first.pk).exists()


def test_a_large_export_shows_progress_then_a_download_link(
    published, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_ROWS = 0
    client = signed_in(published.people["secretariat"])
    response = client.get(reverse("plans:list-export", args=["threats"]) + "?format=csv")
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("plans:export-job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and "<progress" in page

    from dialogue.services.exports import export_job_run

    job = export_job_run(job_id=job.pk)
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page
    download = reverse("plans:export-job-download", args=[job.pk])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200 and response["X-Marking"] == job.marking
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["plans:plan-publish", "plans:plan-delete"])
def test_publishing_or_deleting_a_draft_asks_first(step, reference_data):
    """The draft's buttons open a page that says what will happen; nothing changes until
    its button is pressed, and Cancel leads back to the draft."""
    secretariat = signed_in(f.SecretariatFactory())
    secretariat.post(reverse("plans:plan-start"))
    draft = PlanRevision.objects.get()
    detail = secretariat.get(reverse("plans:plan-detail", args=[draft.pk])).content.decode()
    assert f'href="{reverse(step, args=[draft.pk])}"' in detail  # a link, not a one-click form

    page = secretariat.get(reverse(step, args=[draft.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "元に戻せません" if step == "plans:plan-delete" else "変更・削除できなくなります"
    ) in html
    assert f'href="{reverse("plans:plan-detail", args=[draft.pk])}"' in html  # Cancel
    draft.refresh_from_db()
    assert draft.status == PlanRevisionStatus.DRAFT  # asking changed nothing

    secretariat.post(reverse(step, args=[draft.pk]))
    if step == "plans:plan-delete":
        assert not PlanRevision.objects.filter(pk=draft.pk).exists()
    else:
        draft.refresh_from_db()
        assert draft.status == PlanRevisionStatus.PUBLISHED
