"""Moving a tracker in: threats and actions from CSV, checked row by row, all or nothing."""

import pytest

from dialogue.models import FollowUpAction, Threat
from dialogue.services.tracker_import import (
    ACTIONS,
    CREATE,
    THREATS,
    UNCHANGED,
    UPDATE,
    tracker_import,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

THREATS_CSV = """分野,件名,脅威コード,発生可能性,影響度,説明
semiconductors,退職技術者を通じたノウハウ流出,1-2,4,5,退職者の転職先での技術利用
semiconductors,高純度材料の供給途絶,2-1,3,4,
"""


def csv(text: str) -> bytes:
    return text.encode("utf-8")


@pytest.fixture
def official(semiconductors):
    return f.OfficialFactory(username="importer", sectors=[semiconductors])


def test_a_dry_run_reports_every_row_and_saves_nothing(official):
    report = tracker_import(actor=official, kind=THREATS, data=csv(THREATS_CSV))
    assert report.ok and not report.saved
    assert [(r.row, r.action) for r in report.rows] == [(2, CREATE), (3, CREATE)]
    assert not Threat.objects.exists()


def test_importing_creates_and_importing_again_changes_nothing(official):
    tracker_import(actor=official, kind=THREATS, data=csv(THREATS_CSV), dry_run=False)
    threat = Threat.objects.get(title="退職技術者を通じたノウハウ流出")
    assert (threat.category.code, threat.likelihood, threat.impact) == ("1-2", 4, 5)
    assert threat.history.count() == 1

    again = tracker_import(actor=official, kind=THREATS, data=csv(THREATS_CSV), dry_run=False)
    assert [r.action for r in again.rows] == [UNCHANGED, UNCHANGED]
    assert Threat.objects.count() == 2
    assert threat.history.count() == 1


def test_an_edited_row_updates_its_record(official):
    tracker_import(actor=official, kind=THREATS, data=csv(THREATS_CSV), dry_run=False)
    edited = THREATS_CSV.replace("2-1,3,4,", "2-1,5,4,代替調達先の確保が急務")
    report = tracker_import(actor=official, kind=THREATS, data=csv(edited), dry_run=False)
    assert [(r.action, r.changed) for r in report.rows] == [
        (UNCHANGED, ()),
        (UPDATE, ("description", "likelihood")),
    ]
    assert Threat.objects.get(title="高純度材料の供給途絶").likelihood == 5


def test_one_bad_row_saves_nothing_and_every_problem_has_its_row(official):
    bad = THREATS_CSV + "semiconductors,=HYPERLINK(1),9-9,7,x,\nbatteries,他分野の脅威,1-2,3,3,\n"
    report = tracker_import(actor=official, kind=THREATS, data=csv(bad), dry_run=False)
    assert not report.ok
    assert not Threat.objects.exists()
    problems = {(e.row, e.column) for e in report.errors}
    assert (4, "title") in problems  # a formula
    assert (5, "sector") in problems  # not the importer's sector


def test_actions_with_owner_due_date_and_status(official, semiconductors):
    data = csv(
        "sector,title,owner,due_on,status\n"
        "semiconductors,退職時手続きのベストプラクティスを共有する,importer,2027/01/15,in_progress\n"
    )
    report = tracker_import(actor=official, kind=ACTIONS, data=data, dry_run=False)
    assert report.ok, report.errors
    action = FollowUpAction.objects.get()
    assert (action.owner, str(action.due_on), action.status) == (
        official,
        "2027-01-15",
        "in_progress",
    )


def test_a_status_the_workflow_does_not_allow_is_a_row_error(official, semiconductors):
    data = csv(
        "sector,title,owner,due_on,status\n"
        "semiconductors,完了済みとして取り込む,importer,2027-01-15,done\n"
        "semiconductors,不明な状態,importer,2027-01-15,finished\n"
    )
    report = tracker_import(actor=official, kind=ACTIONS, data=data, dry_run=False)
    assert {(e.row, e.column) for e in report.errors} == {(2, "status"), (3, "status")}
    assert not FollowUpAction.objects.exists()


def test_a_threat_status_follows_the_workflow_from_its_current_one(official):
    with_status = THREATS_CSV.replace("影響度,説明", "影響度,説明,状態")
    closed = with_status.replace("技術利用\n", "技術利用,closed\n").replace("4,\n", "4,,\n")
    tracker_import(actor=official, kind=THREATS, data=csv(closed), dry_run=False)
    threat = Threat.objects.get(title="退職技術者を通じたノウハウ流出")
    assert threat.status == "closed"

    # Closed → identified is not a step of the workflow: the row says so, nothing changes.
    reopened = closed.replace("技術利用,closed", "技術利用,identified")
    report = tracker_import(actor=official, kind=THREATS, data=csv(reopened), dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(2, "status")]
    threat.refresh_from_db()
    assert threat.status == "closed"
