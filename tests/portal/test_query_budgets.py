"""Portal pages cost the same number of queries with one record as with many."""

import pytest
from django.urls import reverse

from dialogue.enums import Marking
from dialogue.models import NoticeRead
from tests import factories as f
from tests.support.auth import signed_in


def grow(world, code, n: int) -> None:
    """n more concerns for company A, each with a reply and a file, and n more actions."""
    for i in range(n):
        concern = f.ConcernFactory(
            organization=world["org_a"],
            submitted_by=world["a"],
            sector=world["concern"].sector,
            category=code("2-1" if i % 2 else "1-3"),
        )
        f.ConcernMessageFactory(concern=concern, author=world["official"])
        f.ConcernMessageFactory(concern=world["concern"], author=world["official"])
        f.ConcernAttachmentFactory(concern=world["concern"], uploaded_by=world["a"])
        f.FollowUpActionFactory(
            sector=world["concern"].sector,
            owner=world["a"],
            owner_organization=world["org_a"],
            marking=Marking.AMBER,
        )

        notice = f.NoticeFactory(sectors=[world["concern"].sector])
        if i % 2:
            NoticeRead.objects.create(notice=notice, user=world["a"])


# page: (URL, most queries allowed: session, user, organization, its sectors, the unread-notice badge
# of the navigation, the page's own reads)
PAGES = {
    "home": (lambda w: reverse("portal:home"), 12),
    "concern-list": (lambda w: reverse("portal:concern-list"), 8),
    "concern-detail": (
        lambda w: reverse("portal:concern-detail", kwargs={"reference": w["concern"].reference}),
        12,  # the unread-notices badge, the referrals and the foreign measures behind it
    ),
    "action-list": (lambda w: reverse("portal:action-list"), 8),
    "guidance": (lambda w: reverse("portal:guidance"), 14),
    "colleague-list": (lambda w: reverse("portal:colleague-list"), 8),
    "notice-list": (lambda w: reverse("portal:notice-list"), 8),
    "notice-detail": (
        lambda w: reverse("portal:notice-detail", kwargs={"pk": w["notice"].pk}),
        14,
    ),
    "best-practice-list": (lambda w: reverse("portal:best-practice-list"), 9),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_query_budget_at_one_and_at_many_rows(page, world, code, django_assert_max_num_queries):
    world["notice"] = f.NoticeFactory(sectors=[world["concern"].sector])
    client = signed_in(world["a_admin"] if page == "colleague-list" else world["a"])
    make_url, budget = PAGES[page]
    url = make_url(world)
    client.get(url)  # sessions, translations: warm up once

    with django_assert_max_num_queries(budget) as few:
        assert client.get(url).status_code == 200
    grow(world, code, 25)
    for n in range(10):
        f.CompanyUserFactory(organization=world["org_a"], username=f"more{n}")
    with django_assert_max_num_queries(budget) as many:
        assert client.get(url).status_code == 200

    assert len(many.captured_queries) == len(few.captured_queries), page
