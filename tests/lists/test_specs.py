"""A list's specification gives the page's and the API's ordering exactly as they order."""

import pytest
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from dialogue.api.views.actions import ActionViewSet
from dialogue.api.views.registers import ChokepointViewSet, ThreatViewSet
from dialogue.lists import LISTS, list_kind
from dialogue.lists.base import pick_sort
from dialogue.models import Threat

VIEWSETS = {"threats": ThreatViewSet, "chokepoints": ChokepointViewSet, "actions": ActionViewSet}
ORDERINGS = [
    "",
    "id",
    "-id",
    "title,-severity",
    " severity , -impact ",
    "bogus",
    "--id",
    "-",
    "due_on,bogus,-created_at",
    "world_share_pct,name",
]


@pytest.mark.parametrize("kind", list(VIEWSETS))
def test_the_api_viewsets_list_with_the_lists_specification(kind):
    viewset, spec = VIEWSETS[kind], LISTS[kind].api
    assert viewset.filterset_class is spec.filterset_class
    assert list(viewset.ordering_fields) == list(spec.ordering_fields)
    assert list(viewset.ordering) == list(spec.default_ordering)


@pytest.mark.parametrize("kind", list(VIEWSETS))
@pytest.mark.parametrize("ordering", ORDERINGS)
def test_an_api_ordering_is_read_as_drfs_ordering_filter_reads_it(kind, ordering):
    request = Request(APIRequestFactory().get("/", {"ordering": ordering}))
    drf = OrderingFilter().get_ordering(request, Threat.objects.none(), VIEWSETS[kind]())
    assert LISTS[kind].api.ordering({"ordering": [ordering]}) == list(drf)


def test_the_last_of_repeated_values_counts_as_on_a_page_and_in_the_api():
    threats = LISTS["threats"]
    assert threats.api.ordering({"ordering": ["title", "-severity"]}) == ["-severity"]
    assert threats.page.ordering({"sort": ["title", "-severity"]}) == ["-severity"]


def test_an_unknown_sort_takes_the_pages_default():
    for spec in LISTS.values():
        assert spec.page.ordering({"sort": ["bogus"]}) == list(spec.page.sorts[0].ordering)
        assert spec.page.ordering({}) == list(spec.page.sorts[0].ordering)
        assert pick_sort(spec.page.sorts, "") is spec.page.sorts[0]


def test_an_unknown_list_or_source_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        list_kind("users")
    with pytest.raises(ValidationError):
        LISTS["threats"].source("admin")
