"""Every change is recorded: who, when, what changed, from what to what."""

import pytest

from dialogue.enums import Marking
from tests import factories as f


@pytest.mark.django_db
def test_a_field_change_keeps_the_old_and_new_values_and_the_author():
    official = f.SecretariatFactory()
    threat = f.ThreatFactory(likelihood=2)
    threat._history_user = official
    threat.likelihood = 5
    threat.save()

    latest, first = threat.history.all()[:2]
    assert latest.history_user == official
    assert latest.history_date >= first.history_date
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(first).changes}
    assert changes == {"likelihood": (2, 5)}


@pytest.mark.django_db
def test_who_is_named_on_a_red_item_is_recorded_too():
    named = f.OfficialFactory()
    threat = f.ThreatFactory(marking=Marking.RED)
    threat.named_users.add(named)
    threat.marking = Marking.RED
    threat.save()  # a new history row carries the current named people

    latest = threat.history.first()
    assert [row.user_id for row in latest.named_users.all()] == [named.pk]


@pytest.mark.django_db
def test_deleting_a_record_leaves_its_last_state_in_the_history():
    action = f.FollowUpActionFactory(title="撤回されるアクション")
    pk = action.pk
    action.delete()
    from dialogue.models import FollowUpAction

    last = FollowUpAction.history.filter(id=pk).first()
    assert last.history_type == "-"
    assert last.title == "撤回されるアクション"
