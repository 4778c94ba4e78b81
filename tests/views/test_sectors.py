"""The sector index and a sector's overview, within what the user may see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogue.enums import ActionStatus, Marking
from dialogue.models import Sector
from tests import factories as f
from tests.support.query_ceilings import assert_within_ceiling


@pytest.mark.django_db
def test_the_index_counts_only_visible_records_and_marks_my_sectors(
    as_semi, semiconductors, batteries
):
    f.ThreatFactory.create_batch(2, sector=semiconductors)
    f.ThreatFactory(sector=batteries)  # AMBER in another sector: not counted
    f.ThreatFactory(sector=batteries, marking=Marking.GREEN)
    f.FollowUpActionFactory(sector=semiconductors)
    f.FollowUpActionFactory(sector=semiconductors, status=ActionStatus.DONE)
    computing = Sector.objects.get(code="computing")
    cloud = Sector.objects.get(code="cloud")
    f.DialogueSessionFactory(sectors=[semiconductors, cloud], marking=Marking.GREEN)

    entries = {
        e.sector.code: e for e in as_semi.get(reverse("workspace:sector-list")).context["entries"]
    }
    domain = entries["computing"]
    children = {c.sector.code: c for c in domain.children}
    assert children["semiconductors"].counts.threats == 2
    assert children["semiconductors"].counts.open_actions == 1
    assert children["semiconductors"].is_mine and not children["cloud"].is_mine
    assert domain.sector == computing
    # The domain sums its sectors, but a session of two of its sectors is one session.
    assert domain.counts.threats == 2
    assert children["semiconductors"].counts.sessions == 1
    assert children["cloud"].counts.sessions == 1
    assert domain.counts.sessions == 1
    assert {c.sector.code: c for c in entries["cleantech"].children}[
        "batteries"
    ].counts.threats == 1


@pytest.mark.django_db
def test_a_sector_page_shows_its_records_and_a_domain_includes_its_sectors(
    as_semi, semi_official, semiconductors, batteries
):
    f.ThreatFactory(title="半導体の脅威", sector=semiconductors)
    f.ChokepointFactory(name="半導体のチョークポイント", sector=semiconductors)
    f.ConcernFactory(title="半導体の懸念", sector=semiconductors)
    f.FollowUpActionFactory(title="半導体のアクション", sector=semiconductors)
    f.DialogueSessionFactory(title="半導体の対話", sectors=[semiconductors])
    f.ThreatFactory(title="蓄電池の脅威", sector=batteries)

    for code in ("semiconductors", "computing"):
        response = as_semi.get(reverse("workspace:sector-detail", args=[code]))
        overview = response.context["overview"]
        assert [t.title for t in overview.threats.items] == ["半導体の脅威"]
        assert [s.title for s in overview.sessions.items] == ["半導体の対話"]
        assert [c.title for c in overview.concerns.items] == ["半導体の懸念"]
        assert [a.title for a in overview.open_actions.items] == ["半導体のアクション"]
        assert "半導体のチョークポイント" in [c.name for c in overview.chokepoints.items]
    assert (
        as_semi.get(reverse("workspace:sector-detail", args=["semiconductors"]))
        .context["overview"]
        .is_mine
    )

    other = as_semi.get(reverse("workspace:sector-detail", args=["batteries"])).context["overview"]
    assert other.threats.total == 0 and not other.is_mine


@pytest.mark.django_db
def test_sector_pages_cost_a_fixed_number_of_queries(as_semi, semiconductors):
    url = reverse("workspace:sector-detail", args=["semiconductors"])
    f.ThreatFactory(sector=semiconductors)
    f.DialogueSessionFactory(sectors=[semiconductors])
    as_semi.get(url)
    with CaptureQueriesContext(connection) as one:
        as_semi.get(url)
    f.ThreatFactory.create_batch(20, sector=semiconductors)
    f.DialogueSessionFactory.create_batch(20, sectors=[semiconductors])
    with CaptureQueriesContext(connection) as many:
        as_semi.get(url)
    assert len(one.captured_queries) == len(many.captured_queries)
    assert_within_ceiling("workspace:sector-detail", len(many.captured_queries))


@pytest.mark.django_db
def test_sector_concern_counts_need_three_organizations(as_semi, semiconductors):
    # given two concerns from one company in semiconductors, and three organizations
    # behind the concerns of cloud (another sector of the same domain)
    org = f.OrganizationFactory(sectors=[semiconductors])
    f.ConcernFactory.create_batch(2, sector=semiconductors, organization=org)
    cloud = Sector.objects.get(code="cloud")
    for _ in range(3):
        f.ConcernFactory(sector=cloud, marking=Marking.GREEN)

    index = as_semi.get(reverse("workspace:sector-list"), HTTP_ACCEPT_LANGUAGE="en")
    entries = {e.sector.code: e for e in index.context["entries"]}
    children = {c.sector.code: c for c in entries["computing"].children}
    # then the index shows "fewer than 3", and the domain adds up only the counts shown
    assert children["semiconductors"].counts.concerns == "fewer than 3"
    assert children["cloud"].counts.concerns == 3
    assert entries["computing"].counts.concerns == 3
    page = as_semi.get(
        reverse("workspace:sector-detail", args=["semiconductors"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.context["overview"].concern_count == "fewer than 3"
    assert "<dd>2</dd>" not in page.content.decode()
