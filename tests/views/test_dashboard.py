"""The dashboard: panels within the user's sight and sectors, the heat map, a fixed query budget."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogue.enums import ActionStatus, ConcernStatus, Marking, SessionStatus
from dialogue.models import Concern
from dialogue.selectors.dashboard import heat_level, threat_heat_map
from tests import factories as f
from tests.support.query_ceilings import assert_within_ceiling

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def queries_for(client, url: str) -> int:
    client.get(url)  # warm caches (content types, translations) outside the count
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def fill_dashboard(n, *, official, sector, code, creator):
    """n rows for every panel and n threats in one heat-map cell."""
    for i in range(n):
        f.FollowUpActionFactory(sector=sector, owner=official, created_by=creator)
        f.FollowUpActionFactory(
            sector=sector, owner=creator, due_on=TODAY - DAY * (i + 1), created_by=creator
        )
        f.ConcernFactory(sector=sector, status=ConcernStatus.SUBMITTED, marking=Marking.AMBER)
        f.DialogueSessionFactory(sectors=[sector], held_on=TODAY - DAY, created_by=creator)
        f.DialogueSessionFactory(
            sectors=[sector], held_on=TODAY + DAY, status=SessionStatus.PLANNED, created_by=creator
        )
        f.ThreatFactory(sector=sector, category=code("1-2"), created_by=creator)


@pytest.mark.django_db
def test_panels_show_what_is_mine_and_in_my_sectors(
    as_semi, semi_official, semiconductors, batteries
):
    creator = f.SecretariatFactory()
    f.FollowUpActionFactory(title="自分のアクション", sector=semiconductors, owner=semi_official)
    f.FollowUpActionFactory(
        title="他人の期限切れ", sector=semiconductors, owner=creator, due_on=TODAY - DAY
    )
    f.FollowUpActionFactory(
        title="完了済みの期限切れ",
        sector=semiconductors,
        owner=creator,
        due_on=TODAY - DAY,
        status=ActionStatus.DONE,
    )
    f.FollowUpActionFactory(
        title="他分野の期限切れ",
        sector=batteries,
        owner=creator,
        due_on=TODAY - DAY,
        marking=Marking.GREEN,
    )
    f.ConcernFactory(title="未処理の懸念", sector=semiconductors)
    f.ConcernFactory(title="受付済みの懸念", sector=semiconductors, status=ConcernStatus.TRIAGED)
    f.ConcernFactory(title="他分野の懸念", sector=batteries, marking=Marking.GREEN)
    f.DialogueSessionFactory(title="予定の対話", sectors=[semiconductors], held_on=TODAY + DAY * 3)
    f.DialogueSessionFactory(
        title="開催済みの対話",
        sectors=[semiconductors],
        held_on=TODAY - DAY * 3,
        status=SessionStatus.HELD,
    )
    f.DialogueSessionFactory(title="見えない対話", sectors=[batteries], held_on=TODAY - DAY)

    dashboard = as_semi.get(reverse("workspace:dashboard")).context["dashboard"]

    assert [a.title for a in dashboard.my_open_actions.items] == ["自分のアクション"]
    assert [a.title for a in dashboard.overdue_actions.items] == ["他人の期限切れ"]
    assert [c.title for c in dashboard.new_concerns.items] == ["未処理の懸念"]
    assert [s.title for s in dashboard.upcoming_sessions.items] == ["予定の対話"]
    assert [s.title for s in dashboard.recent_sessions.items] == ["開催済みの対話"]


@pytest.mark.django_db
def test_the_heat_map_counts_visible_threats_by_sector_and_code(
    as_semi, semi_official, semiconductors, batteries, code
):
    for _ in range(3):
        f.ThreatFactory(sector=semiconductors, category=code("1-2"))
    f.ThreatFactory(sector=semiconductors, category=code("2-1"), marking=Marking.AMBER_STRICT)
    f.ThreatFactory(sector=batteries, category=code("2-2"), marking=Marking.GREEN)
    # Not visible to a semiconductor official: not counted.
    f.ThreatFactory(sector=batteries, category=code("2-2"), marking=Marking.AMBER)
    f.ThreatFactory(sector=semiconductors, category=code("1-2"), marking=Marking.RED)

    heat_map = threat_heat_map(semi_official)
    cells = {
        (row.sector.code, cell.category.code): cell for row in heat_map.rows for cell in row.cells
    }
    assert cells["semiconductors", "1-2"].count == 3
    assert cells["semiconductors", "2-1"].count == 1
    assert cells["batteries", "2-2"].count == 1
    assert cells["semiconductors", "1-1"].count == 0
    assert heat_map.total == 5 and heat_map.maximum == 3
    assert cells["semiconductors", "1-2"].level == 5
    assert cells["semiconductors", "2-1"].level == 2
    assert cells["semiconductors", "1-1"].level == 0
    # Every designated sector is a row; every leaf code (13) a column, grouped by family.
    assert len(heat_map.rows) == 11
    assert [c.code for c in heat_map.categories][:3] == ["1-1", "1-2", "1-3"]
    assert [(fam.category.code, fam.span) for fam in heat_map.families] == [
        ("1", 5),
        ("2", 4),
        ("3", 4),
    ]

    page = as_semi.get(reverse("workspace:dashboard")).content.decode()
    link = reverse("workspace:threat-list") + "?sector=semiconductors&amp;category=1-2"
    assert f'<a href="{link}"' in page
    register = as_semi.get(
        reverse("workspace:threat-list"), {"sector": "semiconductors", "category": "1-2"}
    )
    assert register.context["listing"].page.paginator.count == 3


def test_heat_levels_scale_to_the_busiest_cell():
    assert [heat_level(n, 10) for n in (0, 1, 2, 5, 9, 10)] == [0, 1, 1, 3, 5, 5]
    assert heat_level(0, 0) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["semi_official", "secretariat"])
def test_the_dashboard_costs_the_same_queries_at_1_and_50_rows(request, who, semiconductors, code):
    from tests.support.auth import signed_in

    user = request.getfixturevalue(who)
    client = signed_in(user)
    creator = f.SecretariatFactory()
    url = reverse("workspace:dashboard")

    fill_dashboard(1, official=user, sector=semiconductors, code=code, creator=creator)
    one = queries_for(client, url)
    fill_dashboard(49, official=user, sector=semiconductors, code=code, creator=creator)
    fifty = queries_for(client, url)

    assert one == fifty
    # 20, two for each referral panel, two for late concerns, the reader's sectors and forums
    assert fifty <= 28
    assert_within_ceiling("workspace:dashboard", fifty)
    dashboard = client.get(url).context["dashboard"]
    assert dashboard.my_open_actions.total == 50
    assert dashboard.overdue_actions.total == 50
    assert dashboard.new_concerns.total == 50


@pytest.mark.django_db
def test_each_panel_opens_the_list_of_exactly_what_it_counts(
    as_semi, semi_official, semiconductors, batteries
):
    """The "open the list" link of every panel opens the list filtered to the same rows,
    in the same order: not the unfiltered tracker with completed actions."""
    other = f.SecretariatFactory()
    for status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE):
        f.FollowUpActionFactory(sector=semiconductors, owner=semi_official, status=status)
    for sector, status in [
        (semiconductors, ActionStatus.OPEN),
        (semiconductors, ActionStatus.DONE),
        (batteries, ActionStatus.OPEN),
    ]:
        f.FollowUpActionFactory(
            sector=sector, owner=other, status=status, due_on=TODAY - DAY, marking=Marking.GREEN
        )
    for sector, status in [
        (semiconductors, ConcernStatus.SUBMITTED),
        (semiconductors, ConcernStatus.ANSWERED),
        (batteries, ConcernStatus.SUBMITTED),
    ]:
        f.ConcernFactory(sector=sector, status=status, marking=Marking.GREEN)
    # Two weeks old: past the first-answer target unless someone has answered.
    two_weeks_ago = timezone.now() - datetime.timedelta(days=14)
    for sector, answered in [(semiconductors, None), (semiconductors, TODAY), (batteries, None)]:
        late = f.ConcernFactory(sector=sector, marking=Marking.GREEN)
        Concern.objects.filter(pk=late.pk).update(
            created_at=two_weeks_ago,
            first_answered_at=answered and two_weeks_ago + datetime.timedelta(days=1),
        )
    for held_on, status in [
        (TODAY, SessionStatus.PLANNED),  # upcoming, not recent
        (TODAY, SessionStatus.HELD),  # recent
        (TODAY - DAY, SessionStatus.HELD),
        (TODAY + DAY, SessionStatus.PLANNED),
    ]:
        f.DialogueSessionFactory(sectors=[semiconductors], held_on=held_on, status=status)

    response = as_semi.get(reverse("workspace:dashboard"))
    dashboard, links = response.context["dashboard"], response.context["links"]
    for name in links:
        panel = getattr(dashboard, name)
        assert panel.total, name  # the data above gives every panel rows
        listing = as_semi.get(links[name]).context["listing"]
        rows = list(listing.page.object_list)
        assert listing.page.paginator.count == panel.total, name
        assert [row.pk for row in rows[: len(panel.items)]] == [r.pk for r in panel.items], name
        assert links[name] in response.content.decode().replace("&amp;", "&"), name
