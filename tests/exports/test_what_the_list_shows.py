"""Every "download what this list shows" holds exactly the list's rows, in the list's order.

For each register and tracker, a filter and a sort other than the default are applied
on the page (or the API list); the export, read back, must list the same ids in the
same order: a small export at once, a large one through its background job.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogue.enums import ActionStatus, Marking
from dialogue.models import ExportJob
from tests import factories as f
from tests.exports.conftest import parse_csv, read_xlsx, signed_in
from tests.support.auth import signed_in_api

pytestmark = pytest.mark.django_db

PAGES = {
    "threats": "workspace:threat-list",
    "chokepoints": "workspace:chokepoint-list",
    "actions": "workspace:action-list",
}
# A filter and a non-default sort per page; "owner=me" is the tracker's own filter.
PAGE_QUERIES = {
    "threats": ("sector=semiconductors", "sort=-severity"),
    "chokepoints": ("sector=semiconductors", "sort=name"),
    "actions": ("owner=me", "sort=title"),
}
# The API's ordering ends with `id`: the API list leaves ties to the database.
API_QUERIES = {
    "threats": ("sector=semiconductors", "ordering=-severity,id"),
    "chokepoints": ("sector=semiconductors", "ordering=-world_share_pct,id"),
    "actions": ("status=open", "ordering=due_on,id"),
}


@pytest.fixture
def lists(world, code):
    """Rows whose sorted order differs from the default order, in two sectors."""
    semis, batteries = world.semis, world.batteries
    reader = world.people["semi_official"]
    for likelihood, impact in ((1, 1), (5, 5), (2, 2), (4, 3)):
        f.ThreatFactory(
            sector=semis,
            category=code("1-1"),
            likelihood=likelihood,
            impact=impact,
            marking=Marking.GREEN,
        )
    f.ThreatFactory(sector=batteries, category=code("1-1"), marking=Marking.GREEN)
    for name, share in (("ウ部材", 10), ("ア部材", 70), ("イ部材", 40)):
        f.ChokepointFactory(name=name, sector=semis, world_share_pct=share, marking=Marking.GREEN)
    f.ChokepointFactory(name="エ部材", sector=batteries, marking=Marking.GREEN)
    today = timezone.localdate()
    for title, days in (("ウ点検", 3), ("ア点検", 9), ("イ点検", 1)):
        f.FollowUpActionFactory(
            title=title,
            sector=semis,
            owner=reader,
            due_on=today + datetime.timedelta(days=days),
            marking=Marking.GREEN,
        )
    f.FollowUpActionFactory(
        title="オ点検",
        sector=semis,
        owner=world.people["secretariat"],
        due_on=today + datetime.timedelta(days=2),
        marking=Marking.GREEN,
    )
    f.FollowUpActionFactory(
        title="カ点検", sector=semis, owner=reader, status=ActionStatus.DONE, marking=Marking.GREEN
    )
    return world


def csv_ids(data: bytes) -> list[int]:
    return [int(row[0]) for row in parse_csv(data)[2:]]


def xlsx_ids(data: bytes) -> list[int]:
    sheet = next(iter(read_xlsx(data).values()))
    return [row[0] for row in sheet[2:]]


def page_ids(client, kind: str, query: str) -> list[int]:
    listing = client.get(f"{reverse(PAGES[kind])}?{query}").context["listing"]
    assert not listing.page.has_next()
    return [row.pk for row in listing.page.object_list]


def page_rows(client, kind: str) -> list[int]:
    """The page's rows with its filter and sort, checked to differ from what either alone
    gives (so that an export ignoring one of them cannot pass)."""
    filter_, sort = PAGE_QUERIES[kind]
    expected = page_ids(client, kind, f"{filter_}&{sort}")
    assert len(expected) >= 2
    assert set(expected) < set(page_ids(client, kind, sort)), "the filter leaves rows out"
    assert expected != page_ids(client, kind, filter_), "the sort changes the order"
    return expected


def api_ids(client, kind: str, query: str) -> list[int]:
    body = client.get(f"/api/v1/{kind}/?page_size=200&{query}").json()
    assert body["next"] is None
    return [row["id"] for row in body["results"]]


def api_rows(client, kind: str) -> list[int]:
    filter_, ordering = API_QUERIES[kind]
    expected = api_ids(client, kind, f"{filter_}&{ordering}")
    assert len(expected) >= 2
    assert set(expected) < set(api_ids(client, kind, "")), "the filter leaves rows out"
    assert expected != api_ids(client, kind, filter_), "the ordering changes the order"
    return expected


def page_query(kind: str) -> str:
    return "&".join(PAGE_QUERIES[kind])


@pytest.mark.parametrize("kind", list(PAGES))
def test_a_page_export_holds_the_pages_rows_in_the_pages_order(lists, kind):
    # given a page filtered and sorted
    client = signed_in(lists.people["semi_official"])
    expected = page_rows(client, kind)
    url = f"{reverse('plans:list-export', args=[kind])}?{page_query(kind)}"

    # when its rows are downloaded
    csv = client.get(f"{url}&format=csv")
    xlsx = client.get(f"{url}&format=xlsx")

    # then the files hold the page's rows, in its order
    assert csv.status_code == xlsx.status_code == 200
    assert csv_ids(b"".join(csv.streaming_content)) == expected
    assert xlsx_ids(b"".join(xlsx.streaming_content)) == expected


@pytest.mark.parametrize("kind", list(PAGES))
def test_a_large_page_export_builds_the_pages_rows_in_a_job(
    lists, kind, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_ROWS = 0  # every export becomes a background job
    client = signed_in(lists.people["semi_official"])
    expected = page_rows(client, kind)

    with django_capture_on_commit_callbacks(execute=True):  # the worker builds the file
        response = client.get(
            f"{reverse('plans:list-export', args=[kind])}?{page_query(kind)}&format=csv"
        )

    job = ExportJob.objects.get()
    assert response["Location"] == reverse("plans:export-job", args=[job.pk])
    download = client.get(reverse("plans:export-job-download", args=[job.pk]))
    assert download.status_code == 200
    assert csv_ids(b"".join(download.streaming_content)) == expected


@pytest.mark.parametrize("kind", list(PAGES))
def test_an_api_export_holds_the_api_lists_rows_in_its_order(lists, kind):
    client = signed_in_api(lists.people["semi_official"])
    expected = api_rows(client, kind)
    query = "&".join(API_QUERIES[kind])

    csv = client.get(f"/api/v1/{kind}/export/?format=csv&{query}")
    xlsx = client.get(f"/api/v1/{kind}/export/?format=xlsx&{query}")

    assert csv.status_code == xlsx.status_code == 200
    assert csv_ids(b"".join(csv.streaming_content)) == expected
    assert xlsx_ids(b"".join(xlsx.streaming_content)) == expected


@pytest.mark.parametrize("kind", list(PAGES))
def test_a_large_api_export_builds_the_api_lists_rows_in_a_job(
    lists, kind, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_ROWS = 0
    client = signed_in_api(lists.people["semi_official"])
    expected = api_rows(client, kind)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/api/v1/{kind}/export/?format=csv&{'&'.join(API_QUERIES[kind])}")

    assert response.status_code == 202
    polled = client.get(response.json()["url"]).json()
    assert polled["status"] == "done"
    download = client.get(polled["download_url"])
    assert csv_ids(b"".join(download.streaming_content)) == expected
