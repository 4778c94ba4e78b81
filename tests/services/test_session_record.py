"""Recording and revising a session with its rows: markings, links, and all or nothing."""

import datetime

import pytest
from django.utils import timezone, translation

from dialogue.enums import Marking, PolicyPillar, SessionFormat
from dialogue.models import DialogueSession, FollowUpAction, Participant, Threat
from dialogue.services.common import PermissionDeniedError
from dialogue.services.session_record import (
    ActionRow,
    AgendaRow,
    ParticipantRow,
    SessionRecordRefused,
    ThreatRow,
    session_record,
    session_revise,
)
from tests import factories as f

HELD_ON = datetime.date(2026, 11, 20)
DUE_ON = datetime.date(2026, 12, 15)


@pytest.fixture
def official(semiconductors):
    return f.OfficialFactory(username="recorder", sectors=[semiconductors])


@pytest.fixture
def colleague(semiconductors):
    return f.OfficialFactory(username="colleague", sectors=[semiconductors])


def record(user, sector, **overrides) -> DialogueSession:
    values = {
        "user": user,
        "title": "半導体分野 戦略的対話",
        "sectors": [sector],
        "held_on": HELD_ON,
        "format": SessionFormat.INDUSTRY_ROUNDTABLE,
        "participants": [ParticipantRow(name="山田 太郎", affiliation="製造産業局")],
        "agenda": [AgendaRow(topic="chokepoints", note="フォトレジスト")],
        "threats": [ThreatRow(title="技術流出", code="1-2", likelihood=4, impact=5)],
        "actions": [
            ActionRow(
                title="手続きの共有", owner=user, due_on=DUE_ON, pillar=PolicyPillar.PROTECTION
            )
        ],
        **overrides,
    }
    return session_record(**values)


def nothing_saved() -> None:
    assert DialogueSession.objects.count() == 0
    assert Threat.objects.count() == 0
    assert FollowUpAction.objects.count() == 0
    assert Participant.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("marking", [Marking.GREEN, Marking.AMBER_STRICT])
def test_rows_inherit_the_sessions_marking(official, semiconductors, marking):
    session = record(official, semiconductors, marking=marking)

    threat = Threat.objects.get(source_session=session)
    action = FollowUpAction.objects.get(session=session)
    assert (threat.marking, action.marking) == (marking, marking)
    assert threat.sector == action.sector == semiconductors
    assert [p.name for p in session.participants.all()] == ["山田 太郎"]
    assert [a.topic for a in session.agenda_items.all()] == ["chokepoints"]


@pytest.mark.django_db
def test_a_red_session_and_its_rows_name_the_author_only(official, colleague, semiconductors):
    session = record(official, semiconductors, marking=Marking.RED)

    threat = Threat.objects.get(source_session=session)
    action = FollowUpAction.objects.get(session=session)
    for item in (session, threat, action):
        assert item.marking == Marking.RED
        assert list(item.named_users.all()) == [official]
    assert Threat.objects.visible_to(official).filter(pk=threat.pk).exists()
    assert not Threat.objects.visible_to(colleague).filter(pk=threat.pk).exists()
    assert not FollowUpAction.objects.visible_to(colleague).filter(pk=action.pk).exists()


@pytest.mark.django_db
def test_revising_a_session_to_red_names_the_reviser_and_new_rows(official, semiconductors):
    session = record(official, semiconductors, threats=[], actions=[])

    session = session_revise(
        user=official,
        session=session,
        changes={"marking": Marking.RED},
        expected_version=session.version,
        threats=[ThreatRow(title="供給途絶", code="2-1", likelihood=3, impact=4)],
    )

    assert list(session.named_users.all()) == [official]
    threat = Threat.objects.get(source_session=session)
    assert (threat.marking, list(threat.named_users.all())) == (Marking.RED, [official])


@pytest.mark.django_db
def test_a_bad_row_saves_nothing_and_names_the_row(official, colleague, semiconductors):
    threats = [
        ThreatRow(title="技術流出", code="1-2", likelihood=4, impact=5),
        ThreatRow(title="存在しない分類", code="9-9", likelihood=3, impact=3),
    ]
    # A RED action must be visible to its owner: a colleague who is not named is refused.
    actions = [ActionRow(title="共有", owner=colleague, due_on=DUE_ON, pillar="protection")]

    with translation.override("en"), pytest.raises(SessionRecordRefused) as refused:
        record(official, semiconductors, marking=Marking.RED, threats=threats, actions=actions)

    nothing_saved()
    assert set(refused.value.rows) == {"threats", "actions"}
    assert set(refused.value.rows["threats"]) == {1}
    with translation.override("en"):
        assert "is not a threat code" in " ".join(
            refused.value.rows["threats"][1].message_dict["code"]
        )
    assert "owner" in refused.value.rows["actions"][0].message_dict


@pytest.mark.django_db
def test_a_sector_the_official_does_not_manage_saves_nothing(official, batteries):
    with pytest.raises(PermissionDeniedError):
        record(official, batteries)
    nothing_saved()


@pytest.mark.django_db
def test_links_and_unlinks_only_among_the_threats_the_user_may_see(
    official, colleague, semiconductors
):
    session = record(official, semiconductors, threats=[], actions=[])
    free = f.ThreatFactory(sector=semiconductors, title="未連携")
    linked = f.ThreatFactory(sector=semiconductors, source_session=session, title="連携済み")
    # Linked by someone else and RED for them only: the recorder cannot see it.
    hidden = f.ThreatFactory(
        sector=semiconductors,
        source_session=session,
        marking=Marking.RED,
        named_users=[colleague],
    )

    session_revise(
        user=official,
        session=session,
        changes={},
        expected_version=session.version,
        linked_threats=[free],
    )

    assert set(Threat.objects.filter(source_session=session)) == {free, hidden}
    linked.refresh_from_db()
    assert linked.source_session is None


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["not visible", "from another session"])
def test_a_threat_that_cannot_be_linked_refuses_the_whole_revision(
    official, colleague, semiconductors, which
):
    session = record(official, semiconductors, threats=[], actions=[])
    if which == "not visible":
        threat = f.ThreatFactory(
            sector=semiconductors, marking=Marking.RED, named_users=[colleague]
        )
    else:
        threat = f.ThreatFactory(
            sector=semiconductors, source_session=f.DialogueSessionFactory(sectors=[semiconductors])
        )
    source = threat.source_session_id

    with pytest.raises(SessionRecordRefused) as refused:
        session_revise(
            user=official,
            session=session,
            changes={"title": "変更後"},
            expected_version=session.version,
            linked_threats=[threat],
            threats=[ThreatRow(title="新しい脅威", code="1-2", likelihood=2, impact=2)],
        )

    assert "linked_threats" in refused.value.message_dict
    session.refresh_from_db()
    threat.refresh_from_db()
    assert session.title == "半導体分野 戦略的対話"
    assert threat.source_session_id == source
    assert not Threat.objects.filter(title="新しい脅威").exists()


@pytest.mark.django_db
def test_revising_keeps_new_threat_rows_linked(official, semiconductors):
    session = record(official, semiconductors)
    first = Threat.objects.get(source_session=session)

    session_revise(
        user=official,
        session=session,
        changes={},
        expected_version=session.version,
        linked_threats=[first],
        threats=[ThreatRow(title="追加の脅威", code="2-1", likelihood=3, impact=3)],
    )

    assert sorted(t.title for t in Threat.objects.filter(source_session=session)) == [
        "技術流出",
        "追加の脅威",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("days_from_today", "status"), [(-1, "held"), (0, "held"), (1, "planned")])
def test_the_status_follows_the_date(official, semiconductors, days_from_today, status):
    held_on = timezone.localdate() + datetime.timedelta(days=days_from_today)
    session = record(official, semiconductors, held_on=held_on, threats=[], actions=[])
    assert session.status == status


@pytest.mark.django_db
def test_the_participating_organizations_are_those_the_participants_name(official, semiconductors):
    a, b = (f.OrganizationFactory(sectors=[semiconductors]) for _ in range(2))
    people = [
        ParticipantRow(name="山田 太郎", organization=a),
        ParticipantRow(name="佐藤 花子", organization=a),
        ParticipantRow(name="半田 一郎", affiliation="製造産業局"),
    ]
    session = record(official, semiconductors, participants=people)
    assert list(session.participating_organizations.all()) == [a]

    # Revising the people moves the organizations with them.
    session_revise(
        user=official,
        session=session,
        changes={},
        participants=[ParticipantRow(name="鈴木 三郎", organization=b)],
    )
    assert list(session.participating_organizations.all()) == [b]


@pytest.mark.django_db
def test_a_new_threat_carries_its_description_and_its_own_marking(official, semiconductors):
    threats = [
        ThreatRow(title="同じ区分", code="1-2", likelihood=3, impact=3),
        ThreatRow(
            title="より狭い共有",
            code="2-1",
            likelihood=3,
            impact=3,
            description="調達先が一か国に集中している。",
            marking=Marking.RED,
        ),
    ]
    session = record(official, semiconductors, marking=Marking.GREEN, threats=threats)
    same = Threat.objects.get(source_session=session, title="同じ区分")
    own = Threat.objects.get(source_session=session, title="より狭い共有")
    assert same.marking == Marking.GREEN
    assert (own.marking, own.description) == (Marking.RED, "調達先が一か国に集中している。")
    assert list(own.named_users.all()) == [official]  # RED names its author
