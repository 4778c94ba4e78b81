"""International forums through the API: DOMAIN.md flow 7's last step — the official puts
the topic on the agenda of the next 日米経済版「２＋２」 working-level meeting, a session under
the forum with no sector — and the rules that come with it."""

import pytest

from dialogue.enums import Marking
from tests import factories as f
from tests.support.auth import token_client

TWO_PLUS_TWO = "japan-us-economic-2plus2"


@pytest.fixture
def forum(people):
    return f.forum(TWO_PLUS_TWO, officials=[people["official"]])


@pytest.fixture
def supply_threat(people, semiconductors, code):
    return f.ThreatFactory(
        title="フォトレジスト原料の特定国依存による供給途絶",
        sector=semiconductors,
        category=code("2-1"),
        marking=Marking.AMBER,
    )


def forum_id(client, code: str) -> int:
    forums = client.get("/api/v1/forums/").json()
    return next(row["id"] for row in forums if row["code"] == code)


@pytest.mark.django_db
def test_the_official_puts_a_threat_on_the_next_2plus2_agenda(forum, supply_threat):
    official = token_client("semi_official")
    two_plus_two = forum_id(official, TWO_PLUS_TWO)
    # The forum's record: its counterparts and standing agenda, from the plan.
    detail = official.get(f"/api/v1/forums/{two_plus_two}/").json()
    assert detail["name_ja"] == "日米経済版「２＋２」"
    assert detail["counterpart_countries"] == ["US"]
    assert "経済的威圧" in detail["standing_agenda_ja"]

    created = official.post(
        "/api/v1/sessions/",
        {
            "title": "日米経済版「２＋２」実務者会合（第4回）",
            "forum": two_plus_two,
            "held_on": "2030-03-02",
            "format": "international",
            "marking": "AMBER",
            "agenda": [
                {
                    "topic": "like_minded",
                    "note": "供給途絶リスクの共有と同志国での対応",
                    "threat": supply_threat.pk,
                }
            ],
        },
        format="json",
    )

    assert created.status_code == 201, created.content
    session = created.json()
    assert session["forum"] == two_plus_two
    assert session["sectors"] == []
    assert session["agenda"][0]["threat"] == supply_threat.pk
    # The forum's sessions, as a list filter.
    listed = official.get(f"/api/v1/sessions/?forum={two_plus_two}").json()["results"]
    assert [row["id"] for row in listed] == [session["id"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"format": "international"}, "forum", "国際フォーラムを選んでください"),
        ({"format": "company_hearing"}, "sectors", "産業分野を 1 つ以上選んでください"),
    ],
)
def test_a_session_without_forum_and_sector_is_refused_with_a_translated_error(
    people, body, field, message
):
    official = token_client("semi_official")
    response = official.post(
        "/api/v1/sessions/",
        {"title": "分野のない対話", "held_on": "2030-03-02", "marking": "AMBER", **body},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert response.status_code == 400, response.content
    assert message in str(response.json()[field])
    assert not official.get("/api/v1/sessions/").json()["results"]


@pytest.mark.django_db
def test_only_the_forums_officials_record_its_sessions_without_a_sector(
    forum, people, supply_threat
):
    batteries_official = token_client("batt_official")
    response = batteries_official.post(
        "/api/v1/sessions/",
        {
            "title": "日米経済版「２＋２」実務者会合（第4回）",
            "forum": forum.pk,
            "held_on": "2030-03-02",
            "format": "international",
        },
        format="json",
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_an_agenda_item_cannot_link_a_threat_the_caller_may_not_see(forum, people, batteries, code):
    hidden = f.ThreatFactory(sector=batteries, category=code("2-1"), marking=Marking.AMBER)
    official = token_client("semi_official")
    response = official.post(
        "/api/v1/sessions/",
        {
            "title": "日米経済版「２＋２」実務者会合（第4回）",
            "forum": forum.pk,
            "held_on": "2030-03-02",
            "format": "international",
            "agenda": [{"topic": "other", "threat": hidden.pk}],
        },
        format="json",
    )
    # Refused as if it did not exist: nothing tells the caller the threat is there.
    assert response.status_code == 400
    assert str(hidden.pk) in str(response.json())
    assert "does not exist" in str(response.json()) or "存在しません" in str(response.json())


@pytest.mark.django_db
def test_a_linked_threat_the_reader_may_not_see_is_shown_as_null(
    forum, people, supply_threat, creator_session
):
    # given: the secretariat's session raises a RED threat named to no one reading it
    red = f.ThreatFactory(
        sector=supply_threat.sector,
        category=supply_threat.category,
        marking=Marking.RED,
        named_users=[people["secretariat"]],
    )
    creator_session.agenda_items.create(topic="other", threat=red)
    creator_session.agenda_items.create(topic="other", threat=supply_threat, position=1)
    official = token_client("semi_official")
    agenda = official.get(f"/api/v1/sessions/{creator_session.pk}/").json()["agenda"]
    assert [item["threat"] for item in agenda] == [None, supply_threat.pk]


@pytest.mark.django_db
def test_company_users_see_no_forum(people, forum):
    company = token_client("company_a")
    assert company.get("/api/v1/forums/").json() == []
    assert company.get(f"/api/v1/forums/{forum.pk}/").status_code == 404


@pytest.fixture
def creator_session(forum, people):
    return f.DialogueSessionFactory(
        title="日米経済版「２＋２」実務者会合（第3回）",
        sectors=[],
        forum=forum,
        format="international",
        created_by=people["secretariat"],
    )


@pytest.mark.django_db
def test_an_agenda_item_links_only_dependencies_the_caller_may_see(
    forum, people, semiconductors, batteries
):
    hidden = f.DependencyFactory(product="正極材の前駆体", sector=batteries, country="CN")
    shown = f.DependencyFactory(product="高純度フッ化物", sector=semiconductors, country="CN")
    official = token_client("semi_official")

    refused = official.post("/api/v1/sessions/", meeting(forum, hidden), format="json")
    created = official.post("/api/v1/sessions/", meeting(forum, shown), format="json")

    # The hidden figure is refused as if it did not exist; the visible one is linked.
    assert refused.status_code == 400
    assert str(hidden.pk) in str(refused.json())
    assert created.status_code == 201, created.content
    assert created.json()["agenda"][0]["dependency"] == shown.pk


@pytest.mark.django_db
def test_a_linked_dependency_the_reader_may_not_see_is_shown_as_null(
    forum, people, batteries, creator_session
):
    # given: the secretariat's forum session raises a batteries figure
    figure = f.DependencyFactory(product="正極材の前駆体", sector=batteries, country="CN")
    creator_session.agenda_items.create(topic="other", dependency=figure)

    # then: the semiconductors official (a forum official) sees the item, not the figure
    official = token_client("semi_official")
    agenda = official.get(f"/api/v1/sessions/{creator_session.pk}/").json()["agenda"]
    assert [item["dependency"] for item in agenda] == [None]
    secretariat = token_client("secretariat")
    agenda = secretariat.get(f"/api/v1/sessions/{creator_session.pk}/").json()["agenda"]
    assert [item["dependency"] for item in agenda] == [figure.pk]


def meeting(forum, dependency) -> dict:
    return {
        "title": "日米経済版「２＋２」実務者会合（第4回）",
        "forum": forum.pk,
        "held_on": "2030-03-02",
        "format": "international",
        "agenda": [{"topic": "other", "dependency": dependency.pk}],
    }
