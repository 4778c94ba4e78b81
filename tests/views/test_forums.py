"""International forums in the workspace: sessions under a forum with no sector, who sees
them (docs/forums.md), and the forum pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogue.enums import AgendaTopic, Marking, SessionFormat
from dialogue.models import DialogueSession
from tests import factories as f
from tests.support.auth import signed_in
from tests.support.query_ceilings import assert_within_ceiling

TWO_PLUS_TWO = "japan-us-economic-2plus2"


@pytest.fixture
def forum(semi_official):
    # The semiconductors official is responsible for the 日米経済版「２＋２」 forum.
    return f.forum(TWO_PLUS_TWO, officials=[semi_official])


def forum_session(forum, marking=Marking.AMBER, **extra) -> DialogueSession:
    return f.DialogueSessionFactory(
        title=extra.pop("title", "日米経済版２＋２ 実務者会合"),
        sectors=[],
        forum=forum,
        format=SessionFormat.INTERNATIONAL,
        marking=marking,
        **extra,
    )


def session_form(chosen, **changes) -> dict:
    empty = {
        f"{prefix}-{field}": 0
        for prefix in ("participants", "agenda", "threats", "actions")
        for field in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    return {
        "title": "日米経済版２＋２ 実務者会合（第3回）",
        "held_on": "2030-02-10",
        "format": SessionFormat.INTERNATIONAL,
        "forum": chosen.pk,
        "marking": Marking.AMBER,
        **empty,
        **changes,
    }


# -- recording ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_forum_official_records_an_international_session_without_a_sector(
    as_semi, forum, semiconductors, code, creator
):
    # given: a semiconductors threat to raise at the forum
    threat = f.ThreatFactory(
        title="フォトレジスト原料の特定国依存", sector=semiconductors, category=code("2-1")
    )
    # when: the session names the forum, no sector, and an agenda item raising the threat
    response = as_semi.post(
        reverse("workspace:session-create"),
        session_form(
            forum,
            **{
                "agenda-TOTAL_FORMS": 1,
                "agenda-0-topic": AgendaTopic.LIKE_MINDED,
                "agenda-0-threat": threat.pk,
                "agenda-0-note": "供給途絶リスクの共有",
            },
        ),
    )
    # then: it is saved under the forum with no sector, the agenda item linked
    session = DialogueSession.objects.get(title="日米経済版２＋２ 実務者会合（第3回）")
    assert response.status_code == 302, response.context["form"].errors
    assert session.forum == forum
    assert list(session.sectors.all()) == []
    assert session.agenda_items.get().threat == threat
    page = as_semi.get(reverse("workspace:forum-detail", args=[forum.code])).content.decode()
    assert session.title in page and threat.title in page


@pytest.mark.django_db
def test_an_agenda_item_raises_a_dependency_figure_shown_where_the_reader_may_see_it(
    as_semi, as_batt, forum, semiconductors, batteries
):
    # given: a semiconductors figure the official may link, a batteries one it may not see
    figure = f.DependencyFactory(product="高純度フッ化物", sector=semiconductors, country="CN")
    hidden = f.DependencyFactory(product="正極材の前駆体", sector=batteries, country="CN")
    agenda = {"agenda-TOTAL_FORMS": 1, "agenda-0-topic": AgendaTopic.LIKE_MINDED}

    # when: the forum official records the session, once with each figure
    refused = as_semi.post(
        reverse("workspace:session-create"),
        session_form(forum, **agenda, **{"agenda-0-dependency": hidden.pk}),
    )
    saved = as_semi.post(
        reverse("workspace:session-create"),
        session_form(forum, **agenda, **{"agenda-0-dependency": figure.pk}),
    )

    # then: the hidden figure is not offered (a form error, nothing saved), the other linked
    assert refused.status_code == 200
    assert "agenda-0-dependency" in refused.content.decode()
    assert saved.status_code == 302
    session = DialogueSession.objects.get()
    assert session.agenda_items.get().dependency == figure
    # and the figure's page names the meeting, the session's page links the figure
    detail = as_semi.get(reverse("workspace:dependency-detail", args=[figure.pk]))
    assert session.title in detail.content.decode()
    page = as_semi.get(reverse("workspace:session-detail", args=[session.pk])).content.decode()
    assert f"/dependencies/{figure.pk}/" in page and "高純度フッ化物 — 中国" in page
    # and a batteries official, who may not see the meeting, is not told of it
    session.agenda_items.create(topic=AgendaTopic.OTHER, dependency=hidden, position=1)
    detail = as_batt.get(reverse("workspace:dependency-detail", args=[hidden.pk]))
    assert session.title not in detail.content.decode()
    page = as_semi.get(reverse("workspace:forum-detail", args=[forum.code])).content.decode()
    assert "正極材の前駆体" not in page and f"/dependencies/{hidden.pk}/" not in page
    assert "高純度フッ化物 — 中国" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"forum": ""}, "forum", "国際フォーラムを選んでください"),
        (
            {"forum": "", "format": SessionFormat.COMPANY_HEARING},
            "sectors",
            "産業分野を 1 つ以上選んでください",
        ),
    ],
)
def test_a_session_needs_a_forum_or_a_sector(as_semi, forum, changes, field, message):
    response = as_semi.post(reverse("workspace:session-create"), session_form(forum, **changes))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not DialogueSession.objects.filter(title__contains="第3回").exists()


@pytest.mark.django_db
def test_an_official_not_on_the_forum_cannot_record_its_sector_less_session(as_batt, forum):
    response = as_batt.post(reverse("workspace:session-create"), session_form(forum))
    assert response.status_code == 403
    assert not DialogueSession.objects.filter(title__contains="第3回").exists()


# -- who sees a session without a sector -------------------------------------------------


@pytest.mark.django_db
def test_an_amber_forum_session_is_seen_by_the_forum_officials_and_the_secretariat_only(
    semi_official, batt_official, secretariat, company_user, forum, creator
):
    session = forum_session(forum, created_by=creator)
    visible = {
        user.username: DialogueSession.objects.visible_to(user).filter(pk=session.pk).exists()
        for user in (semi_official, batt_official, secretariat, company_user)
    }
    assert visible == {
        "semi_official": True,
        "batt_official": False,
        "secretariat": True,
        "company_a": False,
    }


@pytest.mark.django_db
def test_a_company_sees_a_forum_session_only_if_it_took_part(company_user, forum, creator):
    # given: a GREEN forum session without the company, and one with it
    without = forum_session(forum, Marking.GREEN, created_by=creator, title="非参加の会合")
    with_it = forum_session(
        forum,
        Marking.AMBER,
        created_by=creator,
        title="参加した会合",
        participating_organizations=[company_user.organization],
    )
    visible = set(DialogueSession.objects.visible_to(company_user).values_list("title", flat=True))
    assert with_it.title in visible
    assert without.title not in visible


@pytest.mark.django_db
def test_a_forum_session_with_a_sector_is_also_seen_by_that_sectors_officials(
    batt_official, batteries, forum, creator
):
    session = forum_session(forum, created_by=creator)
    session.sectors.set([batteries])
    assert DialogueSession.objects.visible_to(batt_official).filter(pk=session.pk).exists()


# -- the forum pages ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_forum_page_hides_what_the_reader_may_not_see(
    as_secretariat, forum, semi_official, semiconductors, code, creator
):
    # given: a forum session raising an AMBER threat and a RED one naming only the official
    session = forum_session(forum, created_by=creator)
    amber = f.ThreatFactory(title="AMBERの脅威", sector=semiconductors, category=code("2-1"))
    red = f.ThreatFactory(
        title="RED限定の脅威",
        sector=semiconductors,
        category=code("2-1"),
        marking=Marking.RED,
        named_users=[semi_official],
    )
    for position, threat in enumerate([amber, red]):
        session.agenda_items.create(topic=AgendaTopic.OTHER, threat=threat, position=position)
    action = f.FollowUpActionFactory(
        title="2+2での提起結果の共有", sector=semiconductors, session=session, owner=semi_official
    )

    page = as_secretariat.get(reverse("workspace:forum-detail", args=[forum.code]))
    text = page.content.decode()
    assert session.title in text and amber.title in text and action.title in text
    assert red.title not in text and f"/threats/{red.pk}/" not in text
    # and on the session's own page
    text = as_secretariat.get(reverse("workspace:session-detail", args=[session.pk]))
    assert red.title not in text.content.decode()
    assert amber.title in text.content.decode()


@pytest.mark.django_db
def test_the_forum_list_counts_only_the_meetings_the_reader_may_see(
    as_batt, as_semi, forum, creator
):
    forum_session(forum, created_by=creator)
    for client, shown in ((as_semi, 1), (as_batt, 0)):
        response = client.get(reverse("workspace:forum-list"))
        row = next(x for x in response.context["forums"] if x.pk == forum.pk)
        assert row.meeting_count == shown
    assert "日米経済版「２＋２」" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["workspace:forum-list", "workspace:forum-detail"])
def test_forum_pages_cost_the_same_queries_for_one_and_many_meetings(
    page, semi_official, forum, semiconductors, code, creator
):
    client = signed_in(semi_official)
    url = reverse(page, args=[forum.code] if page.endswith("detail") else [])

    def add(n: int) -> None:
        for _ in range(n):
            session = forum_session(forum, created_by=creator)
            session.sectors.set([semiconductors])
            threat = f.ThreatFactory(sector=semiconductors, category=code("2-1"))
            chokepoint = f.ChokepointFactory(sector=semiconductors)
            dependency = f.DependencyFactory(sector=semiconductors)
            session.agenda_items.create(
                topic="other", threat=threat, chokepoint=chokepoint, dependency=dependency
            )
            f.FollowUpActionFactory(
                sector=semiconductors,
                session=session,
                owner=semi_official,
                due_on=datetime.date(2030, 1, 1),
            )

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    add(1)
    one = count()
    add(20)
    many = count()
    assert one == many
    assert_within_ceiling(page, many)
