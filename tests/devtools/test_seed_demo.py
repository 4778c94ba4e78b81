from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dialogue.devtools.management.commands.seed_demo import DEFAULT_PASSWORD
from dialogue.enums import (
    ActionStatus,
    ChokepointProcessStage,
    Marking,
    Role,
    SessionFormat,
    SessionStatus,
    SizeClass,
)
from dialogue.models import (
    ChokepointTechnology,
    Concern,
    ConcernMessage,
    DialogueSession,
    FollowUpAction,
    ForeignMeasure,
    Organization,
    PlanRevision,
    Sector,
    Threat,
    User,
)
from dialogue.validators import validate_corporate_number

USERNAMES = [
    "secretariat",
    "semicon_official",
    "battery_official",
    "company_a",
    "company_b",
    "admin",
]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Every table of the project, history tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in {"dialogue", "auth"}
    }


@pytest.mark.django_db
def test_seed_demo_requires_reference_data(without_reference_data):
    with pytest.raises(CommandError, match="load_reference_data"):
        seed()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_creates_accounts_that_can_log_in(reference_data):
    # when
    output = seed()

    # then
    for username in USERNAMES:
        assert username in output
        assert Client().login(
            request=HttpRequest(), username=username, password=DEFAULT_PASSWORD
        ), username
    assert DEFAULT_PASSWORD in output
    assert "demo accounts" in output

    users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
    assert users["secretariat"].role == Role.SECRETARIAT
    assert users["admin"].is_superuser and users["admin"].role == Role.ADMIN
    semiconductors = Sector.objects.get(code="semiconductors")
    assert list(users["semicon_official"].sectors.all()) == [semiconductors]
    assert semiconductors.lead == users["semicon_official"]
    assert list(users["battery_official"].sectors.values_list("code", flat=True)) == ["batteries"]
    company_a, company_b = users["company_a"], users["company_b"]
    assert company_a.role == company_b.role == Role.COMPANY
    assert company_a.is_org_admin
    assert company_a.organization != company_b.organization
    assert company_a.organization.sectors.filter(code="semiconductors").exists()
    assert company_b.organization.sectors.filter(code="batteries").exists()
    for user in users.values():
        user.full_clean()
    for org in Organization.objects.all():
        validate_corporate_number(org.corporate_number)


@pytest.mark.django_db
def test_seed_demo_twice_changes_no_counts(reference_data):
    seed()
    before = row_counts()

    output = seed()

    assert row_counts() == before
    for username in USERNAMES:
        assert username in output


@pytest.mark.django_db
def test_seed_demo_password_option(reference_data):
    output = seed("--password", "another-demo-pass")

    assert "another-demo-pass" in output
    assert Client().login(request=HttpRequest(), username="company_a", password="another-demo-pass")
    assert not Client().login(
        request=HttpRequest(), username="company_a", password=DEFAULT_PASSWORD
    )


@pytest.mark.django_db
def test_seed_demo_sample_covers_the_flows(reference_data):
    seed()
    today = timezone.localdate()

    sessions = DialogueSession.objects.all()
    assert 3 <= sessions.count() <= 5
    assert set(sessions.values_list("format", flat=True)) == set(SessionFormat.values)
    assert set(sessions.values_list("status", flat=True)) == set(SessionStatus.values)
    for session in sessions.exclude(status=SessionStatus.PLANNED):
        assert session.minutes.startswith("# ")
        assert session.agenda_items.exists() and session.participants.exists()

    semiconductor_codes = set(
        Threat.objects.filter(sector__code="semiconductors").values_list(
            "category__code", flat=True
        )
    )
    assert {"1-2", "2-1"} <= semiconductor_codes
    photoresist = ChokepointTechnology.objects.get(reference_key="photoresist")
    assert photoresist.sessions.exists()  # the fixture's chokepoint is reused, not duplicated
    # Chokepoints stand at every stage of the plan's process, each with its review date.
    demo_chokepoints = ChokepointTechnology.objects.exclude(survey="")
    assert set(demo_chokepoints.values_list("process_stage", flat=True)) == set(
        ChokepointProcessStage.values
    )
    assert not demo_chokepoints.filter(review_on__isnull=True).exists()
    # The next Economic "2+2" meeting: under its forum, no sector, raising a threat.
    two_plus_two = DialogueSession.objects.get(forum__code="japan-us-economic-2plus2")
    assert not two_plus_two.sectors.exists()
    assert two_plus_two.agenda_items.filter(threat__isnull=False).exists()

    concerns = Concern.objects.all()
    assert {c.submitted_by.username for c in concerns} == {"company_a", "company_b"}
    assert ConcernMessage.objects.filter(is_internal=True).exists()
    company_b = User.objects.get(username="company_b")
    assert set(Concern.objects.visible_to(company_b).values_list("organization", flat=True)) == {
        company_b.organization_id
    }

    actions = FollowUpAction.objects.all()
    open_actions = actions.open()
    assert open_actions.filter(due_on=today + timedelta(days=7)).exists()
    assert open_actions.filter(due_on=today + timedelta(days=1)).exists()
    assert open_actions.filter(due_on__lt=today, due_on__gte=today - timedelta(days=14)).exists()
    assert open_actions.filter(due_on__lt=today - timedelta(days=14)).exists()
    done = actions.filter(status=ActionStatus.DONE)
    assert done.exists()
    assert all(a.completion_note and a.completed_at for a in done)
    owned = actions.get(owner__username="company_a")
    assert owned.owner_organization == owned.owner.organization

    revision = PlanRevision.objects.get()
    assert revision.label == "初版" and revision.published_at is not None

    markings = set()
    for model in (DialogueSession, Threat, ChokepointTechnology, Concern, FollowUpAction):
        markings |= set(model.objects.values_list("marking", flat=True))
    assert markings == set(Marking.values)
    red = Threat.objects.get(marking=Marking.RED)
    assert set(red.named_users.values_list("username", flat=True)) == {
        "secretariat",
        "semicon_official",
    }


@pytest.mark.django_db
def test_the_demo_battery_maker_is_alerted_to_the_graphite_export_control(reference_data):
    # given: the demo, whose battery hearing discusses graphite
    seed()
    company_b = User.objects.get(username="company_b")
    battery_session = DialogueSession.objects.get(
        participating_organizations=company_b.organization
    )
    assert "黒鉛" in battery_session.minutes
    graphite = ForeignMeasure.objects.get(reference_key="cn-export-control-graphite")

    # when: the battery maker signs in to the portal with the demo password
    browser = Client()
    assert browser.login(request=HttpRequest(), username="company_b", password=DEFAULT_PASSWORD)
    home = browser.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    guidance = browser.get(reverse("portal:guidance"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    # then: the graphite measure is among its latest alerts, with the plan's date
    assert graphite.title_ja in home and "2023年12月1日施行" in home
    assert graphite.title_en in guidance


@pytest.mark.django_db
def test_demo_organizations_use_the_three_size_classes(reference_data):
    seed()
    sizes = dict(Organization.objects.values_list("name_en", "size_class"))
    assert sizes["Sample Storage Battery Corporation"] == SizeClass.MIDSIZE
    assert sizes["Kakuu Fine Chemical Industries, Ltd."] == SizeClass.SME
    assert sizes["Sample Semiconductor Materials Co., Ltd."] == SizeClass.LARGE
