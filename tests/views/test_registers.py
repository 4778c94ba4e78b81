"""Threat and chokepoint registers: filters, sort, search, pagination, detail, history, budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogue.enums import Marking, ThreatStatus
from dialogue.services.threats import threat_update
from tests import factories as f
from tests.support.auth import signed_in
from tests.support.query_ceilings import assert_within_ceiling


def queries_for(client, url: str, params=None) -> int:
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def titles(response) -> list[str]:
    return [t.title for t in response.context["listing"].page.object_list]


@pytest.fixture
def creator(db):
    return f.SecretariatFactory(username="creator")


@pytest.mark.django_db
def test_threat_filters_combine_and_only_show_visible_threats(
    as_semi, semiconductors, batteries, code, creator
):
    f.ThreatFactory(
        title="退職者による流出",
        sector=semiconductors,
        category=code("1-2"),
        likelihood=4,
        impact=5,
        created_by=creator,
    )
    f.ThreatFactory(
        title="現役社員への接触",
        sector=semiconductors,
        category=code("1-1"),
        likelihood=2,
        impact=2,
        status=ThreatStatus.MONITORING,
        created_by=creator,
    )
    f.ThreatFactory(
        title="黒鉛の供給途絶",
        sector=batteries,
        category=code("2-1"),
        marking=Marking.GREEN,
        created_by=creator,
    )
    f.ThreatFactory(
        title="他分野の非公開", sector=batteries, category=code("2-1"), created_by=creator
    )
    url = reverse("workspace:threat-list")

    assert sorted(titles(as_semi.get(url))) == sorted(
        ["退職者による流出", "現役社員への接触", "黒鉛の供給途絶"]
    )
    assert titles(as_semi.get(url, {"sector": "semiconductors", "category": "1-2"})) == [
        "退職者による流出"
    ]
    assert sorted(titles(as_semi.get(url, {"category": "1"}))) == [
        "現役社員への接触",
        "退職者による流出",
    ]
    assert titles(as_semi.get(url, {"sector": "cleantech"})) == ["黒鉛の供給途絶"]
    assert titles(as_semi.get(url, {"severity_min": "15"})) == ["退職者による流出"]
    assert titles(as_semi.get(url, {"status": "monitoring"})) == ["現役社員への接触"]
    assert titles(as_semi.get(url, {"marking": "GREEN"})) == ["黒鉛の供給途絶"]
    # Japanese substring search, every word must match (a full-width space separates words).
    assert titles(as_semi.get(url, {"search": "流出"})) == ["退職者による流出"]
    assert titles(as_semi.get(url, {"search": "退職者　流出"})) == ["退職者による流出"]
    assert titles(as_semi.get(url, {"search": "退職者 接触"})) == []
    # An unknown value is shown as a field error and ignored, never a server error.
    response = as_semi.get(url, {"sector": "nowhere"})
    assert response.status_code == 200
    assert "sector" in response.context["listing"].filterset.form.errors


@pytest.mark.django_db
def test_threat_sort_options(as_semi, semiconductors, code, creator):
    f.ThreatFactory(title="中", sector=semiconductors, likelihood=3, impact=3, created_by=creator)
    f.ThreatFactory(title="高", sector=semiconductors, likelihood=5, impact=5, created_by=creator)
    f.ThreatFactory(title="低", sector=semiconductors, likelihood=1, impact=1, created_by=creator)
    url = reverse("workspace:threat-list")
    assert titles(as_semi.get(url, {"sort": "-severity"})) == ["高", "中", "低"]
    assert titles(as_semi.get(url, {"sort": "severity"})) == ["低", "中", "高"]
    assert titles(as_semi.get(url, {"sort": "created"})) == ["中", "高", "低"]
    # An unknown sort falls back to the default instead of reaching the database.
    assert as_semi.get(url, {"sort": "password"}).status_code == 200


@pytest.mark.django_db
def test_pagination_is_50_a_page_and_links_keep_the_filters(as_semi, semiconductors, code, creator):
    f.ThreatFactory.create_batch(
        51, sector=semiconductors, category=code("2-1"), created_by=creator
    )
    url = reverse("workspace:threat-list")
    first = as_semi.get(url, {"sector": "semiconductors", "category": "2-1", "sort": "title"})
    assert len(titles(first)) == 50
    page = first.content.decode()
    assert "?sector=semiconductors&amp;category=2-1&amp;sort=title&amp;page=2" in page
    second = as_semi.get(
        url, {"sector": "semiconductors", "category": "2-1", "sort": "title", "page": 2}
    )
    assert len(titles(second)) == 1
    assert set(titles(first)).isdisjoint(titles(second))


@pytest.mark.django_db
def test_chokepoint_register_filters_and_search(as_semi, semiconductors, batteries, creator):
    f.ChokepointFactory(
        name="試験用レジストA", sector=semiconductors, stage="upstream", world_share_pct=48
    )
    f.ChokepointFactory(
        name="試験用装置B", sector=semiconductors, stage="midstream", world_share_pct=31
    )
    f.ChokepointFactory(name="試験用負極材C", sector=batteries, marking=Marking.AMBER)
    url = reverse("workspace:chokepoint-list")
    everything = titles_of(as_semi.get(url))  # the reference chokepoints are there too
    assert {"試験用レジストA", "試験用装置B"} <= set(everything)
    assert "試験用負極材C" not in everything
    assert titles_of(as_semi.get(url, {"search": "試験用装置", "stage": "midstream"})) == [
        "試験用装置B"
    ]
    assert titles_of(as_semi.get(url, {"search": "試験用装置", "stage": "upstream"})) == []
    assert titles_of(as_semi.get(url, {"search": "レジストA"})) == ["試験用レジストA"]
    by_share = titles_of(as_semi.get(url, {"sector": "semiconductors", "sort": "-share"}))
    assert by_share.index("試験用レジストA") < by_share.index("試験用装置B")


def titles_of(response) -> list[str]:
    return [c.name for c in response.context["listing"].page.object_list]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["semi_official", "secretariat"])
def test_registers_cost_the_same_queries_at_1_and_50_rows(
    request, who, semiconductors, code, creator
):
    client = signed_in(request.getfixturevalue(who))
    organization = f.OrganizationFactory(sectors=[semiconductors])
    for url, make in [
        (
            reverse("workspace:threat-list"),
            lambda n: f.ThreatFactory.create_batch(
                n, sector=semiconductors, category=code("1-2"), created_by=creator
            ),
        ),
        (
            reverse("workspace:chokepoint-list"),
            lambda n: f.ChokepointFactory.create_batch(
                n, sector=semiconductors, holder_organizations=[organization]
            ),
        ),
    ]:
        make(1)
        one = queries_for(client, url, {"sector": "semiconductors", "sort": "sector"})
        make(49)
        fifty = queries_for(client, url, {"sector": "semiconductors", "sort": "sector"})
        assert one == fifty, url
        assert fifty <= 11, url
        assert_within_ceiling(url, fifty)


@pytest.mark.django_db
def test_threat_detail_names_a_concerns_organization_only_to_who_may_see_the_concern(
    semi_official, batt_official, semiconductors, code, creator
):
    organization = f.OrganizationFactory(name="株式会社ひみつ材料", sectors=[semiconductors])
    concern = f.ConcernFactory(
        title="原料調達の懸念", organization=organization, sector=semiconductors
    )
    session = f.DialogueSessionFactory(title="半導体 第1回", sectors=[semiconductors])
    threat = f.ThreatFactory(
        title="共有された脅威",
        sector=semiconductors,
        marking=Marking.GREEN,
        source_concern=concern,
        source_session=session,
        created_by=creator,
    )
    url = reverse("workspace:threat-detail", args=[threat.pk])

    mine = signed_in(semi_official).get(url).content.decode()
    assert "原料調達の懸念" in mine and "株式会社ひみつ材料" in mine
    assert "半導体 第1回" in mine

    other = signed_in(batt_official).get(url).content.decode()
    assert "共有された脅威" in other
    assert "株式会社ひみつ材料" not in other
    assert "原料調達の懸念" not in other
    assert "半導体 第1回" not in other


@pytest.mark.django_db
def test_detail_pages_show_the_change_history(
    as_semi, semi_official, semiconductors, code, creator
):
    threat = f.ThreatFactory(
        title="旧タイトル", sector=semiconductors, category=code("1-2"), created_by=creator
    )
    threat_update(
        threat=threat,
        actor=semi_official,
        changes={"title": "新タイトル", "category": "2-1", "marking": Marking.GREEN},
        expected_version=threat.version,
    )
    response = as_semi.get(reverse("workspace:threat-detail", args=[threat.pk]))
    history = response.context["history"]
    latest = history[0]
    assert latest.who == "半田 一郎"
    changes = {(c.old, c.new) for c in latest.changes}
    assert changes == {
        ("旧タイトル", "新タイトル"),
        ("1-2 人（退職者・OB）", "2-1 原料・部品の供給途絶"),
        ("TLP:AMBER", "TLP:GREEN"),
    }
    assert history[-1].kind == "作成"
    page = response.content.decode()
    assert "旧タイトル" in page and "新タイトル" in page


@pytest.mark.django_db
def test_history_never_names_a_linked_record_the_reader_may_not_see(
    semi_official, semiconductors, batteries, creator
):
    hidden = f.DialogueSessionFactory(title="蓄電池の非公開対話", sectors=[batteries])
    threat = f.ThreatFactory(sector=semiconductors, marking=Marking.GREEN, created_by=creator)
    threat_update(
        threat=threat,
        actor=creator,
        changes={"source_session": hidden},
        expected_version=threat.version,
    )
    page = signed_in(semi_official).get(reverse("workspace:threat-detail", args=[threat.pk]))
    text = page.content.decode()
    assert "蓄電池の非公開対話" not in text
    assert "（表示できません）" in text


@pytest.mark.django_db
def test_titles_with_script_are_escaped_everywhere(
    as_semi, semi_official, semiconductors, code, creator
):
    evil = '<script>alert("x")</script>"><svg onload=alert(1)>'
    threat = f.ThreatFactory(
        title=evil, description=evil, sector=semiconductors, created_by=creator
    )
    chokepoint = f.ChokepointFactory(name=evil, description=evil, sector=semiconductors)
    f.FollowUpActionFactory(title=evil, sector=semiconductors, owner=semi_official)
    for url in [
        reverse("workspace:dashboard"),
        reverse("workspace:threat-list"),
        reverse("workspace:threat-detail", args=[threat.pk]),
        reverse("workspace:chokepoint-list"),
        reverse("workspace:chokepoint-detail", args=[chokepoint.pk]),
        reverse("workspace:sector-detail", args=["semiconductors"]),
        reverse("workspace:search") + "?q=script",
    ]:
        page = as_semi.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "<svg onload" not in page, url
        assert "&lt;script&gt;" in page, url
