"""A RED action is for its named people only: its owner must be one of them (API side)."""

import datetime

import pytest
from django.utils import timezone

from dialogue.enums import Marking
from dialogue.models import FollowUpAction
from tests import factories as f

DUE = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()


def red_action_body(semiconductors, *, owner, named) -> dict:
    return {
        "title": "極秘の対応",
        "sector": semiconductors.pk,
        "owner": owner.pk,
        "due_on": DUE,
        "pillar": "protection",
        "marking": Marking.RED,
        "named_users": [user.pk for user in named],
    }


@pytest.mark.django_db
def test_a_red_action_for_an_unnamed_owner_is_a_clear_400(api, people, semiconductors):
    official, owner = people["official"], people["other_official"]
    response = api(official).post(
        "/api/v1/actions/",
        red_action_body(semiconductors, owner=owner, named=[official]),
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "閲覧許可者" in response.json()["owner"][0]  # in the caller's language (Japanese)
    english = api(official).post(
        "/api/v1/actions/",
        red_action_body(semiconductors, owner=owner, named=[official]),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.status_code == 400
    assert "named on it" in english.json()["owner"][0]
    assert not FollowUpAction.objects.exists()


@pytest.mark.django_db
def test_a_red_action_naming_its_owner_is_created(api, people, semiconductors):
    official, owner = people["official"], people["other_official"]
    response = api(official).post(
        "/api/v1/actions/",
        red_action_body(semiconductors, owner=owner, named=[official, owner]),
        format="json",
    )
    assert response.status_code == 201, response.content
    assert api(owner).get(f"/api/v1/actions/{response.json()['id']}/").status_code == 200


@pytest.mark.django_db
def test_marking_an_action_red_or_unnaming_its_owner_is_refused(api, people, semiconductors):
    official, owner = people["official"], people["other_official"]
    action = f.FollowUpActionFactory(sector=semiconductors, owner=owner, marking=Marking.AMBER)
    client = api(official)
    to_red = client.patch(
        f"/api/v1/actions/{action.pk}/",
        {"marking": Marking.RED, "named_users": [official.pk], "version": action.version},
        format="json",
    )
    assert to_red.status_code == 400, to_red.content
    assert "marking" in to_red.json()
    action.refresh_from_db()
    assert action.marking == Marking.AMBER  # nothing was saved

    red = f.FollowUpActionFactory(
        sector=semiconductors, owner=official, marking=Marking.RED, named_users=[official]
    )
    to_other = client.patch(
        f"/api/v1/actions/{red.pk}/",
        {"owner": owner.pk, "version": red.version},
        format="json",
    )
    assert to_other.status_code == 400 and "owner" in to_other.json()
    red.refresh_from_db()
    assert red.owner == official


@pytest.mark.django_db
def test_api_search_leaves_out_a_red_action_its_owner_is_not_named_on(api, people, semiconductors):
    owner = people["other_official"]
    f.FollowUpActionFactory(
        title="極秘フォトレジスト対応",
        sector=semiconductors,
        owner=owner,
        marking=Marking.RED,
        named_users=[people["official"]],
    )
    listed = api(owner).get("/api/v1/actions/", {"search": "フォトレジスト"}).json()
    assert listed["results"] == []
    mine = api(owner).get("/api/v1/actions/", {"owner": owner.pk}).json()
    assert mine["results"] == []
    named = api(people["official"]).get("/api/v1/actions/", {"search": "フォトレジスト"}).json()
    assert [a["title"] for a in named["results"]] == ["極秘フォトレジスト対応"]
