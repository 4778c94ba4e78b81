"""A concern's status follows the conversation: assigning it is triage, an answer to the
company makes it 回答済み, the company writing back makes it 対応中 again. Each step is an
allowed transition and lands in the history under the person who caused it."""

import pytest

from dialogue.enums import ConcernStatus
from dialogue.services.concerns import concern_change_status, concern_message_post, concern_update
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(semiconductors):
    official = f.OfficialFactory(sectors=[semiconductors])
    concern = f.ConcernFactory(sector=semiconductors)
    return {"official": official, "concern": concern, "company": concern.submitted_by}


def statuses(concern) -> list[str]:
    return list(concern.history.order_by("history_id").values_list("status", flat=True))


def test_assigning_a_submitted_concern_triages_it_and_tells_the_company(case):
    concern = concern_update(
        concern=case["concern"], actor=case["official"], changes={"assigned_to": case["official"]}
    )

    assert concern.status == ConcernStatus.TRIAGED
    assert concern.history.first().history_user == case["official"]
    assert case["concern"].notifications.filter(recipient=case["company"]).count() == 1


def test_unassigning_changes_no_status(case):
    concern = concern_update(
        concern=case["concern"], actor=case["official"], changes={"assigned_to": None}
    )
    assert concern.status == ConcernStatus.SUBMITTED


def test_the_first_answer_makes_it_answered_through_triage(case):
    concern_message_post(
        concern=case["concern"], author=case["official"], body="ご連絡ありがとうございます。"
    )

    case["concern"].refresh_from_db()
    assert case["concern"].status == ConcernStatus.ANSWERED
    # submitted → triaged → answered: both steps allowed and recorded, by the official
    assert statuses(case["concern"])[-2:] == [ConcernStatus.TRIAGED, ConcernStatus.ANSWERED]
    assert {h.history_user for h in case["concern"].history.all()[:2]} == {case["official"]}


def test_an_internal_note_changes_nothing_the_company_sees(case):
    concern_message_post(
        concern=case["concern"], author=case["official"], body="内部メモ", is_internal=True
    )
    case["concern"].refresh_from_db()
    assert case["concern"].status == ConcernStatus.SUBMITTED


def test_the_company_writing_back_after_an_answer_makes_it_in_progress(case):
    concern_message_post(concern=case["concern"], author=case["official"], body="回答です。")
    concern_message_post(concern=case["concern"], author=case["company"], body="追加の質問です。")

    case["concern"].refresh_from_db()
    assert case["concern"].status == ConcernStatus.IN_PROGRESS
    # and the next answer makes it answered again
    concern_message_post(concern=case["concern"], author=case["official"], body="再回答です。")
    case["concern"].refresh_from_db()
    assert case["concern"].status == ConcernStatus.ANSWERED


def test_a_company_reply_before_any_answer_leaves_the_status(case):
    concern_message_post(concern=case["concern"], author=case["company"], body="補足です。")
    case["concern"].refresh_from_db()
    assert case["concern"].status == ConcernStatus.SUBMITTED


def test_a_closed_concern_stays_closed_when_an_official_writes(case):
    concern = case["concern"]
    for status in (ConcernStatus.TRIAGED, ConcernStatus.ANSWERED, ConcernStatus.CLOSED):
        concern = concern_change_status(concern=concern, actor=case["official"], status=status)
    concern_message_post(concern=concern, author=case["official"], body="終了後の連絡")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED
