"""Saved filters: an official keeps a list's filters under a name, opens them from the list,
and deletes them; nobody else sees or deletes them."""

import pytest
from django.urls import reverse

from dialogue.models import SavedFilter
from dialogue.services.saved_filters import MAX_PER_LIST
from tests import factories as f

pytestmark = pytest.mark.django_db

THREATS = reverse("workspace:threat-list")
SAVE = reverse("workspace:saved-filter-create")


def save(client, name: str, query: str, list_name: str = "workspace:threat-list"):
    return client.post(SAVE, {"list_name": list_name, "name": name, "query": query})


def test_save_open_and_delete_a_filter(as_semi, semi_official, semiconductors, code):
    f.ThreatFactory(
        title="重大な流出", sector=semiconductors, category=code("1-2"), likelihood=5, impact=5
    )
    f.ThreatFactory(
        title="軽微な遅延", sector=semiconductors, category=code("2-1"), likelihood=1, impact=1
    )
    # The box to save appears once the list is filtered.
    assert 'id="id_saved_filter_name"' not in as_semi.get(THREATS).content.decode()
    filtered = as_semi.get(THREATS, {"category": "1-2", "page": "1"})
    assert 'id="id_saved_filter_name"' in filtered.content.decode()

    response = save(as_semi, "流出だけ", "category=1-2&page=3")

    saved = SavedFilter.objects.get(user=semi_official)
    assert saved.query == "category=1-2"  # the page one was on is not kept
    assert response["Location"] == f"{THREATS}?category=1-2"
    page = as_semi.get(THREATS).content.decode()
    assert f'href="{THREATS}?category=1-2">流出だけ</a>' in page
    titles = [t.title for t in as_semi.get(f"{THREATS}?{saved.query}").context["listing"].page]
    assert titles == ["重大な流出"]

    # Saving under the same name replaces the filters.
    save(as_semi, "流出だけ", "category=2-1")
    assert SavedFilter.objects.get(user=semi_official).query == "category=2-1"

    as_semi.post(reverse("workspace:saved-filter-delete", args=[saved.pk]))
    assert not SavedFilter.objects.exists()


def test_another_official_neither_sees_nor_deletes_it(as_semi, as_batt, semi_official):
    save(as_semi, "半導体の流出", "category=1-2")
    saved = SavedFilter.objects.get()

    assert "半導体の流出" not in as_batt.get(THREATS).content.decode()
    response = as_batt.post(reverse("workspace:saved-filter-delete", args=[saved.pk]))
    assert response.status_code == 404
    assert SavedFilter.objects.filter(pk=saved.pk).exists()


def test_a_list_keeps_at_most_so_many_and_says_so(as_semi, semi_official):
    for n in range(MAX_PER_LIST):
        SavedFilter.objects.create(
            user=semi_official, list_name="workspace:threat-list", name=f"絞り込み{n}"
        )
    response = save(as_semi, "もう一つ", "category=1-2")
    assert response.status_code == 302
    messages = [str(m) for m in as_semi.get(response["Location"]).context["messages"]]
    assert any(str(MAX_PER_LIST) in m for m in messages)
    assert SavedFilter.objects.count() == MAX_PER_LIST


def test_only_the_lists_with_filters_take_a_saved_filter(as_semi):
    response = save(as_semi, "不正", "x=1", list_name="admin:index")
    assert response.status_code == 302
    assert not SavedFilter.objects.exists()
