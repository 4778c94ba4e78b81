"""Changing the status of many actions at once: all or nothing, with a reason per refusal."""

import pytest
from django.utils import translation

from dialogue.enums import ActionStatus, Marking
from dialogue.models import FollowUpAction
from dialogue.services.actions import action_bulk_status_change
from tests import factories as f


@pytest.fixture
def official(semiconductors):
    return f.OfficialFactory(username="semi", sectors=[semiconductors])


@pytest.fixture
def actions(semiconductors, batteries, official):
    batt_official = f.OfficialFactory(username="batt", sectors=[batteries])
    return {
        "open": f.FollowUpActionFactory(sector=semiconductors, owner=official),
        "in_progress": f.FollowUpActionFactory(
            sector=semiconductors, status=ActionStatus.IN_PROGRESS
        ),
        "done": f.FollowUpActionFactory(sector=semiconductors, status=ActionStatus.DONE),
        # Visible to every official (GREEN), changeable only by the batteries officials.
        "not_mine": f.FollowUpActionFactory(
            sector=batteries, owner=batt_official, marking=Marking.GREEN
        ),
        "hidden": f.FollowUpActionFactory(sector=batteries, owner=batt_official),
    }


def statuses(actions: dict) -> dict:
    return {
        name: FollowUpAction.objects.get(pk=action.pk).status for name, action in actions.items()
    }


@pytest.mark.django_db
def test_every_action_moves_when_none_is_refused(official, actions):
    result = action_bulk_status_change(
        user=official,
        action_ids=[actions["open"].pk, actions["in_progress"].pk],
        status=ActionStatus.CANCELLED,
    )

    assert result.refusals == []
    assert {a.pk for a in result.changed} == {actions["open"].pk, actions["in_progress"].pk}
    after = statuses(actions)
    assert after["open"] == after["in_progress"] == ActionStatus.CANCELLED


@pytest.mark.django_db
def test_one_refusal_changes_nothing_and_each_refusal_says_why(official, actions):
    before = statuses(actions)
    ids = [actions[name].pk for name in ("open", "in_progress", "done", "not_mine")]

    with translation.override("en"):
        result = action_bulk_status_change(
            user=official, action_ids=ids, status=ActionStatus.CANCELLED
        )
        reasons = {refusal.action.pk: refusal.reason for refusal in result.refusals}

    assert result.changed == []
    assert reasons == {
        actions["done"].pk: "it cannot move from “Done” to “Cancelled”",
        actions["not_mine"].pk: "only the owner or the sector's officials can change it",
    }
    assert statuses(actions) == before


@pytest.mark.django_db
def test_the_same_status_and_a_missing_note_are_refusals(official, actions):
    with translation.override("en"):
        same = action_bulk_status_change(
            user=official, action_ids=[actions["open"].pk], status=ActionStatus.OPEN
        )
        no_note = action_bulk_status_change(
            user=official, action_ids=[actions["open"].pk], status=ActionStatus.DONE
        )

    assert [r.reason for r in same.refusals] == ["it already has this status"]
    assert [r.reason for r in no_note.refusals] == [
        "Describe what was done before closing the action."
    ]
    assert FollowUpAction.objects.get(pk=actions["open"].pk).status == ActionStatus.OPEN


@pytest.mark.django_db
def test_actions_the_user_cannot_see_are_left_out(official, actions):
    result = action_bulk_status_change(
        user=official,
        action_ids=[actions["open"].pk, actions["hidden"].pk],
        status=ActionStatus.IN_PROGRESS,
    )

    assert [a.pk for a in result.changed] == [actions["open"].pk]
    assert result.refusals == []
    assert statuses(actions)["hidden"] == ActionStatus.OPEN
