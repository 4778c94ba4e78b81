"""List pages past the numbered ones go by cursor: never an overlap or a gap, any sort.

The walk follows the page's own "Next" (and back with "Previous") links, and compares
the rows it met with the list's whole order, which the export writes.
"""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogue.enums import Marking
from dialogue.lists.actions import ACTION_SORTS
from dialogue.lists.chokepoints import CHOKEPOINT_SORTS
from dialogue.lists.threats import THREAT_SORTS
from dialogue.models import ChokepointTechnology, FollowUpAction, Threat
from dialogue.views import lists
from dialogue.views.lists import cursor_of, values_of
from tests import factories as f
from tests.support.auth import signed_in

PER_PAGE = 7  # small pages, so that a walk crosses many of them


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    # Every link beyond the first page is a cursor; 7 rows a page.
    monkeypatch.setattr(lists, "NUMBERED_PAGES", 1)
    original = lists.filtered_page

    def filtered_page(request, queryset, spec, *, per_page=PER_PAGE):
        return original(request, queryset, spec, per_page=per_page)

    for module in ("threats", "chokepoints", "actions"):
        monkeypatch.setattr(f"dialogue.views.{module}.filtered_page", filtered_page)


def link(response, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]*)" rel="{rel}"', response.content.decode())
    return html.unescape(found.group(1)) if found else None


def walk(client, url: str, params: dict, rel: str = "next", start: str | None = None):
    """Rows of every page reached by following `rel` links, page by page, the number of
    queries each page cost, and the last page's address."""
    pages, costs = [], []
    address = start or url
    response = client.get(address, None if start else params)
    while True:
        assert response.status_code == 200
        pages.append([row.pk for row in response.context["listing"].page.object_list])
        following = link(response, rel)
        if following is None:
            return pages, costs, address
        address = url + following
        with CaptureQueriesContext(connection) as captured:
            response = client.get(address)
        costs.append(len(captured.captured_queries))


def ordered_ids(model, ordering) -> list[int]:
    return list(model.objects.order_by(*ordering, "-pk").values_list("pk", flat=True))


@pytest.fixture
def threats(semiconductors, code, db):
    author = f.SecretariatFactory()
    moments = [timezone.now() - datetime.timedelta(hours=n % 5) for n in range(40)]
    created = Threat.objects.bulk_create(
        Threat(
            title=f"脅威{n % 6}",  # ties on the title
            sector=semiconductors,
            category=code("2-1" if n % 2 else "1-2"),
            likelihood=1 + n % 3,  # ties on the severity
            impact=2,
            marking=Marking.GREEN,
            created_by=author,
        )
        for n in range(40)
    )
    # Ties on the update time too.
    for threat, moment in zip(created, moments, strict=True):
        Threat.objects.filter(pk=threat.pk).update(updated_at=moment, created_at=moment)
    return created


@pytest.mark.django_db
@pytest.mark.parametrize("sort", THREAT_SORTS, ids=lambda sort: sort.key)
def test_threat_pages_follow_each_other_without_overlap_or_gap(as_semi, threats, sort):
    url = reverse("workspace:threat-list")
    pages, costs, last = walk(as_semi, url, {"sort": sort.key})
    expected = ordered_ids(Threat, sort.ordering)
    assert [pk for page in pages for pk in page] == expected
    assert all(len(page) == PER_PAGE for page in pages[:-1])
    # Every page costs the same, however deep.
    assert len(set(costs)) == 1, costs
    # And back again with "Previous": the same pages in reverse.
    back, _, first = walk(as_semi, url, {}, rel="prev", start=last)
    assert back == pages[::-1]
    assert "after" not in first and "before" not in first


@pytest.mark.django_db
@pytest.mark.parametrize("sort", CHOKEPOINT_SORTS, ids=lambda sort: sort.key)
def test_chokepoint_pages_with_empty_shares_and_ties(as_semi, semiconductors, sort):
    for n in range(24):
        f.ChokepointFactory(
            name=f"技術{n % 4}",
            sector=semiconductors,
            world_share_pct=None if n % 3 == 0 else Decimal(10 + n % 5),
        )
    url = reverse("workspace:chokepoint-list")
    pages, costs, _ = walk(as_semi, url, {"sort": sort.key, "sector": "semiconductors"})
    expected = list(
        ChokepointTechnology.objects.filter(sector=semiconductors)
        .order_by(*sort.ordering, "-pk")
        .values_list("pk", flat=True)
    )
    assert [pk for page in pages for pk in page] == expected
    assert len(set(costs)) == 1, costs


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ACTION_SORTS, ids=lambda sort: sort.key)
def test_action_pages_follow_each_other(semiconductors, sort):
    official = f.OfficialFactory(sectors=[semiconductors])
    today = timezone.localdate()
    for n in range(20):
        f.FollowUpActionFactory(
            title=f"対応{n % 3}",
            sector=semiconductors,
            owner=official,
            due_on=today + datetime.timedelta(days=n % 4),
        )
    url = reverse("workspace:action-list")
    client = signed_in(official)
    pages, _, _ = walk(client, url, {"sort": sort.key, "status": ""})
    shown = [pk for page in pages for pk in page]
    assert shown == [pk for pk in ordered_ids(FollowUpAction, sort.ordering) if pk in set(shown)]
    assert len(shown) == len(set(shown)) == 20


@pytest.mark.django_db
def test_a_cursor_that_is_not_one_is_ignored(as_semi, threats):
    url = reverse("workspace:threat-list")
    fifth = [t.pk for t in as_semi.get(url, {"page": 5}).context["listing"].page.object_list]
    for bad in ["x", cursor_of(["not a date", 1]), cursor_of([1, 2, 3]), "%%%", "W10"]:
        for name in ("after", "before"):
            response = as_semi.get(url, {name: bad, "page": 5})
            assert response.status_code == 200
            assert [t.pk for t in response.context["listing"].page.object_list] == fifth


def test_cursors_round_trip_their_values():
    moment = timezone.now()
    token = cursor_of([moment, datetime.date(2026, 12, 7), Decimal("12.50"), None, "題", 7])
    assert values_of(token, 6) == [
        moment.isoformat(),
        "2026-12-07",
        "12.50",
        None,
        "題",
        7,
    ]
    assert values_of(token, 5) is None


@pytest.mark.django_db
def test_counts_stop_at_the_cap_and_say_more(as_semi, threats, monkeypatch):
    monkeypatch.setattr(lists, "COUNT_CAP", 10)
    response = as_semi.get(reverse("workspace:threat-list"))
    listing = response.context["listing"]
    assert (listing.page.paginator.count, listing.count_more) == (10, True)
    assert listing.total_label == "10+"
    assert "10+" in response.content.decode()
    # The page number without a cursor (a bookmark) still works within the cap.
    second = as_semi.get(reverse("workspace:threat-list"), {"page": 2})
    assert second.context["listing"].page.number == 2
