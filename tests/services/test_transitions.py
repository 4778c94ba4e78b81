"""Statuses move only along their allowed transitions; stale writes change nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dialogue.enums import ActionStatus, ConcernStatus, PlanRevisionStatus, SessionStatus
from dialogue.services.actions import action_change_status
from dialogue.services.common import StaleVersionError
from dialogue.services.concerns import concern_change_status
from dialogue.services.plans import plan_revision_publish
from dialogue.services.sessions import session_change_status
from tests import factories as f


@pytest.fixture
def official(db):
    return f.SecretariatFactory()


@pytest.mark.django_db
def test_session_goes_planned_held_minutes_approved(official):
    session = f.DialogueSessionFactory()
    session = session_change_status(session=session, actor=official, status=SessionStatus.HELD)
    session = session_change_status(
        session=session, actor=official, status=SessionStatus.MINUTES_APPROVED
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.MINUTES_APPROVED
    assert session.version == 3


@pytest.mark.django_db
def test_session_cannot_skip_from_planned_to_approved(official):
    session = f.DialogueSessionFactory()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        session_change_status(
            session=session, actor=official, status=SessionStatus.MINUTES_APPROVED
        )
    assert "cannot change from “Planned” to “Minutes approved”" in error.value.messages[0]
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


@pytest.mark.django_db
def test_closing_an_action_needs_a_completion_note(official):
    action = f.FollowUpActionFactory()
    with pytest.raises(ValidationError) as error:
        action_change_status(
            action=action, actor=official, status=ActionStatus.DONE, completion_note=" "
        )
    assert "completion_note" in error.value.message_dict
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and action.completed_at is None

    action = action_change_status(
        action=action, actor=official, status=ActionStatus.DONE, completion_note="説明会を実施"
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.completed_at is not None
    assert action.completion_note == "説明会を実施"


@pytest.mark.django_db
def test_a_stale_version_is_refused_and_changes_nothing(official):
    action = f.FollowUpActionFactory()
    action_change_status(
        action=action, actor=official, status=ActionStatus.IN_PROGRESS, expected_version=1
    )
    with pytest.raises(StaleVersionError):
        action_change_status(
            action=action, actor=official, status=ActionStatus.CANCELLED, expected_version=1
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    assert action.version == 2


@pytest.mark.django_db
def test_a_withdrawn_concern_stays_withdrawn(official):
    concern = f.ConcernFactory()
    concern_change_status(concern=concern, actor=official, status=ConcernStatus.WITHDRAWN)
    with pytest.raises(ValidationError):
        concern_change_status(concern=concern, actor=official, status=ConcernStatus.TRIAGED)


@pytest.mark.django_db
def test_an_unknown_status_is_a_field_error(official):
    concern = f.ConcernFactory()
    with pytest.raises(ValidationError) as error:
        concern_change_status(concern=concern, actor=official, status="deleted")
    assert "status" in error.value.message_dict


@pytest.mark.django_db
def test_a_plan_revision_is_published_once(official):
    revision = f.PlanRevisionFactory()
    revision = plan_revision_publish(revision=revision, actor=official)
    assert revision.status == PlanRevisionStatus.PUBLISHED
    assert revision.published_at is not None
    with pytest.raises(ValidationError):
        plan_revision_publish(revision=revision, actor=official)


@pytest.mark.django_db
def test_every_change_is_recorded_with_who_and_before_after(official):
    action = f.FollowUpActionFactory(due_on=datetime.date(2026, 12, 1))
    action_change_status(action=action, actor=official, status=ActionStatus.IN_PROGRESS)
    latest, previous = action.history.all()[:2]
    assert latest.history_user == official
    delta = latest.diff_against(previous)
    assert {(c.field, c.old, c.new) for c in delta.changes if c.field == "status"} == {
        ("status", ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
    }
