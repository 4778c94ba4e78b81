"""Search: Japanese substrings across kinds of record, within what the user may see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogue.enums import Marking
from dialogue.selectors.search import search_words, workspace_search
from tests import factories as f
from tests.support.query_ceilings import assert_within_ceiling


def groups_of(response) -> dict:
    return {group.kind: group for group in response.context["groups"]}


@pytest.mark.django_db
def test_search_finds_each_kind_of_record_by_substring(
    as_semi, semi_official, semiconductors, batteries
):
    f.ThreatFactory(title="フォトレジストの技術流出", sector=semiconductors)
    f.ChokepointFactory(
        name="検索用チョークポイント", description="フォトレジストの製造", sector=semiconductors
    )
    f.DialogueSessionFactory(
        title="第3回 対話", minutes="フォトレジストについて議論した。", sectors=[semiconductors]
    )
    f.ConcernFactory(title="輸出規制", description="フォトレジストの輸出", sector=semiconductors)
    f.FollowUpActionFactory(title="フォトレジスト調査", sector=semiconductors)
    # Out of sight for a semiconductor official:
    f.ThreatFactory(title="フォトレジスト（蓄電池・非公開）", sector=batteries)
    f.ConcernFactory(title="フォトレジスト（他分野の懸念）", sector=batteries)

    response = as_semi.get(reverse("workspace:search"), {"q": "フォトレジスト"})
    groups = groups_of(response)
    assert [t.title for t in groups["threats"].items] == ["フォトレジストの技術流出"]
    assert [c.name for c in groups["chokepoints"].items] == ["検索用チョークポイント"]
    assert [s.title for s in groups["sessions"].items] == ["第3回 対話"]
    assert [c.title for c in groups["concerns"].items] == ["輸出規制"]
    assert [a.title for a in groups["actions"].items] == ["フォトレジスト調査"]
    page = response.content.decode()
    assert "非公開" not in page and "他分野の懸念" not in page


@pytest.mark.django_db
def test_groups_are_limited_with_a_total(semi_official, semiconductors):
    f.ThreatFactory.create_batch(25, title="多数の脅威", sector=semiconductors)
    threats = {g.kind: g for g in workspace_search(semi_official, "多数")}["threats"]
    assert (len(threats.items), threats.total) == (20, 25)


@pytest.mark.django_db
def test_words_split_on_full_width_spaces_and_match_half_width_forms(semi_official, semiconductors):
    f.ThreatFactory(title="AI半導体の輸出規制 2026", sector=semiconductors)
    assert search_words("ＡＩ　輸出") == ["ai", "輸出"]
    found = {g.kind: g for g in workspace_search(semi_official, "ＡＩ　２０２６")}["threats"]
    assert found.total == 1
    assert workspace_search(semi_official, "   ") == []


@pytest.mark.django_db
def test_search_costs_a_fixed_number_of_queries(as_semi, semiconductors):
    f.ThreatFactory(title="予算テスト", sector=semiconductors, marking=Marking.GREEN)
    f.DialogueSessionFactory(title="予算テスト", sectors=[semiconductors])
    url = reverse("workspace:search")
    as_semi.get(url, {"q": "予算"})
    with CaptureQueriesContext(connection) as one:
        as_semi.get(url, {"q": "予算"})
    f.ThreatFactory.create_batch(30, title="予算テスト", sector=semiconductors)
    f.DialogueSessionFactory.create_batch(29, title="予算テスト", sectors=[semiconductors])
    with CaptureQueriesContext(connection) as many:
        as_semi.get(url, {"q": "予算"})
    assert len(one.captured_queries) == len(many.captured_queries)
    assert_within_ceiling("workspace:search", len(many.captured_queries))


@pytest.mark.django_db
def test_an_empty_query_searches_nothing(as_semi):
    response = as_semi.get(reverse("workspace:search"))
    assert response.status_code == 200
    assert response.context["groups"] == []


@pytest.mark.django_db
def test_a_red_action_is_found_by_its_owner_only_when_they_are_named(
    as_batt, batt_official, semi_official, semiconductors
):
    red = f.FollowUpActionFactory(
        title="極秘フォトレジスト対応",
        sector=semiconductors,
        owner=batt_official,
        marking=Marking.RED,
        named_users=[semi_official],
    )
    response = as_batt.get(reverse("workspace:search"), {"q": "フォトレジスト"})
    assert groups_of(response)["actions"].total == 0
    assert response.context["found"] == 0
    assert "極秘" not in response.content.decode()

    red.named_users.add(batt_official)
    response = as_batt.get(reverse("workspace:search"), {"q": "フォトレジスト"})
    assert [a.title for a in groups_of(response)["actions"].items] == ["極秘フォトレジスト対応"]
    assert response.context["found"] == 1


@pytest.mark.django_db
def test_full_width_text_is_found_by_half_width_words(semi_official, semiconductors):
    f.ThreatFactory(title="ＡＩ向け半導体（２０２６年度）", sector=semiconductors)
    found = {g.kind: g for g in workspace_search(semi_official, "ai 2026")}["threats"]
    assert found.total == 1


@pytest.mark.django_db
def test_totals_above_the_cap_say_more_than(as_semi, semiconductors, monkeypatch):
    monkeypatch.setattr("dialogue.text_search.COUNT_CAP", 25)
    f.ThreatFactory.create_batch(30, title="上限確認用の脅威", sector=semiconductors)
    response = as_semi.get(reverse("workspace:search"), {"q": "上限"})
    threats = groups_of(response)["threats"]
    assert (len(threats.items), threats.total, threats.more) == (20, 25, True)
    page = response.content.decode()
    assert "25 件超のうち 20 件" in page
    assert "「上限」の検索結果：25 件超" in page
