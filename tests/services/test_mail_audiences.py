"""Every e-mail goes only to people who may see what it is about, and says no more than they may.

The full flow — a concern submitted, answered and triaged, actions reminded and escalated, a
digest — is captured in Django's locmem outbox; each message's recipient is then checked
against `Model.objects.visible_to(recipient)` for every record it links to.
"""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from dialogue.enums import ConcernStatus, DigestFrequency, Marking, ReminderKind, Role
from dialogue.models import Concern, Digest, FollowUpAction, Reminder, User
from dialogue.services.actions import action_create
from dialogue.services.concerns import (
    concern_change_status,
    concern_message_post,
    concern_submit,
    concern_update,
)
from dialogue.services.digests import digest_round, digests_create
from dialogue.services.notifications import notifications_dispatch
from dialogue.services.reminders import reminder_sweep, reminders_queue
from tests import factories as f

TODAY = timezone.localdate()
LINKED = {"concerns": Concern, "actions": FollowUpAction, "digests": Digest}
# Officials' links name the global id; company users' name their organization's reference.
LINK = re.compile(r"/(concerns|actions|digests)/(\d{4}-\d{4,}|\d+)/")
CANARY = "CANARY"  # in every RED, AMBER+STRICT and AMBER title: never in an e-mail
SHOWN = "SHOWN-GREEN"  # in GREEN titles: e-mails carry them (proves the canary check can fail)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def texts(message) -> list[str]:
    return [message.subject, message.body, *(body for body, _ in message.alternatives)]


def linked_records(message) -> set[tuple[str, int]]:
    found = set()
    for text in texts(message):
        for kind, key in LINK.findall(text):
            if "-" in key:  # a company user's reference number, unique in their organization
                recipient = recipient_of(message)
                key = Concern.objects.get(organization=recipient.organization, reference=key).pk
            found.add((kind, int(key)))
    return found


def recipient_of(message) -> User:
    [address] = message.to
    return User.objects.get(email=address)


def outbox_by_recipient() -> dict[str, list]:
    found: dict[str, list] = {}
    for message in mail.outbox:
        found.setdefault(recipient_of(message).username, []).append(message)
    return found


@pytest.fixture
def cast(semiconductors, batteries):
    joined = timezone.now() - datetime.timedelta(days=60)
    org = f.OrganizationFactory(sectors=[semiconductors])
    people = {
        "named_company": f.CompanyUserFactory(username="named_company", organization=org),
        "colleague": f.CompanyUserFactory(username="colleague", organization=org),
        "outsider": f.CompanyUserFactory(username="outsider"),
        "semi_named": f.OfficialFactory(username="semi_named", sectors=[semiconductors]),
        "semi_other": f.OfficialFactory(username="semi_other", sectors=[semiconductors]),
        "semi_lead": f.OfficialFactory(username="semi_lead", sectors=[semiconductors]),
        "batt_official": f.OfficialFactory(username="batt_official", sectors=[batteries]),
        "planner": f.SecretariatFactory(
            username="planner", date_joined=joined, digest_frequency=DigestFrequency.WEEKLY
        ),
    }
    semiconductors.lead = people["semi_lead"]
    semiconductors.save()
    return people


def submit(cast, sector, *, marking, title):
    return concern_submit(
        user=cast["named_company"],
        sector=sector,
        category="2-2",
        title=title,
        description="詳細",
        marking=marking,
    )


def run_full_flow(cast, semiconductors) -> dict:
    """Submission, reply, status change, reminders, escalation and a digest, all mailed."""
    named_company, semi_named = cast["named_company"], cast["semi_named"]
    red = submit(cast, semiconductors, marking=Marking.RED, title=f"{CANARY} RED 懸念")
    strict = submit(cast, semiconductors, marking=Marking.AMBER_STRICT, title=f"{CANARY} 厳格")
    green = submit(cast, semiconductors, marking=Marking.GREEN, title=f"{SHOWN} 公開可の相談")
    # The RED concern is named to one company user and one official only.
    concern_update(
        concern=red, actor=semi_named, changes={"named_users": [named_company, semi_named]}
    )
    for concern in (red, strict, green):
        concern_message_post(concern=concern, author=semi_named, body="回答です")
        concern_change_status(concern=concern, actor=semi_named, status=ConcernStatus.IN_PROGRESS)

    red_action = action_create(
        actor=semi_named,
        title=f"{CANARY} RED アクション",
        sector=semiconductors,
        owner=cast["batt_official"],
        due_on=days(1),
        marking=Marking.RED,
        named_users=[semi_named, cast["batt_official"]],
    )
    # Stored before owners had to be named: its owner may not see it, so hears nothing.
    legacy_red = f.FollowUpActionFactory(
        title=f"{CANARY} 旧RED",
        sector=semiconductors,
        owner=cast["semi_other"],
        due_on=days(-20),
        marking=Marking.RED,
        named_users=[semi_named],
    )
    amber = f.FollowUpActionFactory(
        title=f"{CANARY} AMBER 放置",
        sector=semiconductors,
        owner=cast["semi_other"],
        due_on=days(-20),
        marking=Marking.AMBER,
    )
    f.FollowUpActionFactory(
        title=f"{SHOWN} 公開アクション",
        sector=semiconductors,
        owner=cast["semi_other"],
        due_on=days(7),
        marking=Marking.GREEN,
    )
    notifications_dispatch()
    reminder_sweep(today=TODAY)
    digest_round(today=TODAY)
    return {"red": red, "red_action": red_action, "legacy_red": legacy_red, "amber": amber}


@pytest.mark.django_db
def test_every_message_of_the_full_flow_goes_to_someone_who_may_see_it(cast, semiconductors):
    records = run_full_flow(cast, semiconductors)

    assert len(mail.outbox) > 5
    problems = []
    for message in mail.outbox:
        recipient = recipient_of(message)
        links = linked_records(message)
        assert links, f"no link in {message.subject!r}"
        for kind, pk in links:
            if not LINKED[kind].objects.visible_to(recipient).filter(pk=pk).exists():
                problems.append(f"{recipient.username} was told of {kind} #{pk}")
    assert problems == []

    # The RED concern reached only its named company user, for the reply and the status.
    red_link = ("concerns", records["red"].pk)
    told_of_red = {recipient_of(m).username for m in mail.outbox if red_link in linked_records(m)}
    assert told_of_red == {"named_company"}
    assert len([m for m in mail.outbox if red_link in linked_records(m)]) == 2
    # The RED action's owner is named: their reminder is the only e-mail about it.
    red_action_link = ("actions", records["red_action"].pk)
    assert [
        recipient_of(m).username for m in mail.outbox if red_action_link in linked_records(m)
    ] == ["batt_official"]
    # The long-overdue AMBER action escalated to the sector lead; the older RED one reached nobody.
    assert any(
        ("actions", records["amber"].pk) in linked_records(m)
        for m in outbox_by_recipient()["semi_lead"]
    )
    assert not any(("actions", records["legacy_red"].pk) in linked_records(m) for m in mail.outbox)
    assert not Reminder.objects.filter(action=records["legacy_red"]).exists()
    # Nobody of another organization or sector heard anything; the planner got a digest.
    by_recipient = outbox_by_recipient()
    assert "outsider" not in by_recipient
    assert {LINK.search(m.body)[1] for m in by_recipient["planner"]} == {"digests"}


@pytest.mark.django_db
def test_no_email_carries_a_title_above_green(cast, semiconductors):
    run_full_flow(cast, semiconductors)

    everything = [text for message in mail.outbox for text in texts(message)]
    assert not [text for text in everything if CANARY in text]
    assert any(SHOWN in text for text in everything)  # GREEN titles do travel


# --- finding: e-mail announced RED concerns to people who may not see them --------------


@pytest.mark.django_db
def test_a_red_concern_is_announced_to_no_official_who_is_not_named(cast, semiconductors):
    submit(cast, semiconductors, marking=Marking.RED, title="極秘の相談")
    notifications_dispatch()
    # Only its submitter is named on it: no sector official may see it, so none is told.
    assert mail.outbox == []


@pytest.mark.django_db
def test_replies_and_status_of_a_red_concern_reach_only_its_named_company_user(
    cast, semiconductors
):
    red = f.ConcernFactory(
        sector=semiconductors,
        organization=cast["named_company"].organization,
        submitted_by=cast["named_company"],
        marking=Marking.RED,
        named_users=[cast["named_company"], cast["semi_named"]],
    )
    concern_message_post(concern=red, author=cast["semi_named"], body="回答です")
    concern_change_status(concern=red, actor=cast["semi_named"], status=ConcernStatus.IN_PROGRESS)
    notifications_dispatch()
    assert sorted(recipient_of(m).username for m in mail.outbox) == [
        "named_company",
        "named_company",
    ]


@pytest.mark.django_db
def test_a_notification_is_checked_again_when_it_is_sent(cast, semiconductors):
    # given a status e-mail queued for both users of the organization
    concern = f.ConcernFactory(
        sector=semiconductors,
        organization=cast["named_company"].organization,
        submitted_by=cast["named_company"],
        marking=Marking.AMBER_STRICT,
    )
    concern_change_status(concern=concern, actor=cast["semi_named"], status=ConcernStatus.TRIAGED)
    # when the concern is marked RED, naming one of them, before the dispatch runs
    concern_update(
        concern=concern,
        actor=cast["semi_named"],
        changes={"marking": Marking.RED, "named_users": [cast["named_company"]]},
    )
    notifications_dispatch()
    # then only the named user is told
    assert [recipient_of(m).username for m in mail.outbox] == ["named_company"]


# --- finding: the owner of a RED action saw it without being named --------------------


@pytest.mark.django_db
def test_a_red_action_for_an_unnamed_owner_is_refused(cast, semiconductors):
    with pytest.raises(ValidationError) as refused:
        action_create(
            actor=cast["semi_named"],
            title="極秘の対応",
            sector=semiconductors,
            owner=cast["batt_official"],
            due_on=days(1),
            marking=Marking.RED,
            named_users=[cast["semi_named"]],
        )
    assert "owner" in refused.value.message_dict
    assert "TLP:RED" in refused.value.message_dict["owner"][0]
    assert not FollowUpAction.objects.exists()


@pytest.mark.django_db
def test_a_stored_red_action_is_not_shown_or_mailed_to_an_unnamed_owner(cast, semiconductors):
    owner = cast["batt_official"]
    action = f.FollowUpActionFactory(
        sector=semiconductors,
        owner=owner,
        due_on=days(-1),
        marking=Marking.RED,
        named_users=[cast["semi_named"]],
    )
    assert not FollowUpAction.objects.visible_to(owner).filter(pk=action.pk).exists()
    assert FollowUpAction.objects.visible_to(cast["semi_named"]).filter(pk=action.pk).exists()
    run = reminder_sweep(today=TODAY)
    assert (run.queued, mail.outbox) == (0, [])


@pytest.mark.django_db
def test_owner_reminders_are_queued_exactly_for_what_each_owner_may_see(cast, semiconductors):
    # The set-based queue and `visible_to(owner)` agree, marking by marking.
    owner = cast["batt_official"]
    for marking in Marking.values:
        for named in ([], [owner], [cast["semi_named"]]):
            f.FollowUpActionFactory(
                sector=semiconductors,
                owner=owner,
                due_on=days(-1),
                marking=marking,
                named_users=named,
            )
    reminders_queue(TODAY)
    reminded = set(Reminder.objects.filter(recipient=owner).values_list("action_id", flat=True))
    assert reminded == set(
        FollowUpAction.objects.visible_to(owner).filter(owner=owner).values_list("pk", flat=True)
    )
    assert len(reminded) == 3 * (len(Marking.values) - 1) + 1


@pytest.mark.django_db
def test_a_reminder_is_checked_again_when_it_is_sent(cast, semiconductors):
    owner = cast["semi_other"]
    action = f.FollowUpActionFactory(
        sector=semiconductors, owner=owner, due_on=days(1), marking=Marking.AMBER
    )
    assert reminders_queue(TODAY) == 1
    # Marked RED for someone else before the e-mail went out.
    action.marking = Marking.RED
    action.save()
    action.named_users.set([cast["semi_named"]])
    run = reminder_sweep(today=TODAY)
    assert (run.sent, mail.outbox) == (0, [])


# --- escalations and digests ------------------------------------------------------------


@pytest.mark.django_db
def test_escalation_goes_only_to_a_lead_who_may_see_the_action(cast, semiconductors):
    # given a sector lead who works on batteries only
    semiconductors.lead = cast["batt_official"]
    semiconductors.save()
    f.FollowUpActionFactory(
        sector=semiconductors, owner=cast["semi_other"], due_on=days(-20), marking=Marking.AMBER
    )
    visible = f.FollowUpActionFactory(
        sector=semiconductors, owner=cast["semi_other"], due_on=days(-20), marking=Marking.GREEN
    )
    reminder_sweep(today=TODAY)
    escalated = Reminder.objects.filter(kind=ReminderKind.ESCALATION)
    assert list(escalated.values_list("action_id", flat=True)) == [visible.pk]
    to_lead = outbox_by_recipient()["batt_official"]
    assert [linked_records(m) for m in to_lead] == [{("actions", visible.pk)}]


@pytest.mark.django_db
def test_a_digest_is_not_sent_to_someone_who_is_no_longer_an_official(cast):
    planner = cast["planner"]
    assert digests_create(today=TODAY) >= 1
    planner.role = Role.COMPANY
    planner.save()
    run = digest_round(today=TODAY)
    assert (run.sent, mail.outbox) == (0, [])
    assert not Digest.objects.visible_to(planner).exists()
