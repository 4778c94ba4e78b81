"""Query budgets of the API: a page of 200 rows costs the same queries as a page of 1.

Every list runs for a sector official and for a company user who also sees
many rows (CLEAR records, their own organization's concerns and threads), at
page_size 1, 50 and 200 over more than 200 rows; lists without pages and the
detail endpoints are compared at few and many (related) rows. The counts must be
equal and stay under a small ceiling (STYLE.md, Tests: query budgets).
"""

import factory
import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from dialogue.enums import Marking
from dialogue.models import (
    ChokepointTechnology,
    Concern,
    ConcernAttachment,
    ConcernMessage,
    Dependency,
    DialogueSession,
    FollowUpAction,
    Forum,
    Notice,
    Organization,
    Participant,
    PlanRevision,
    Sector,
    Threat,
    ThreatCategory,
    User,
)
from tests import factories as f
from tests.support.auth import signed_in_api as client_for
from tests.support.query_ceilings import assert_within_ceiling

MANY = 201
PAGE_SIZES = (1, 50, 200)
# No request may need more than this, whatever the number of rows.
CEILING = 14
ROLES = ("official", "company")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction rolled back at the end;
    every test runs in its own savepoint on top of it."""
    media = tmp_path_factory.mktemp("budget-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        # The API reads no history; recording it would make building the rows ten times slower.
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            world = build_world()
        yield world
        transaction.set_rollback(True)


def build_world() -> dict:
    domain = f.SectorFactory(code="budget-domain", kind="domain")
    semi = f.SectorFactory(code="budget-semiconductors", parent=domain)
    leaf = f.ThreatCategoryFactory(code="2-1")
    concern_code = f.ThreatCategoryFactory(code="2-2")
    org = f.OrganizationFactory(sectors=[semi])
    other_orgs = f.OrganizationFactory.create_batch(MANY, sectors=[semi, domain])
    company = f.CompanyUserFactory(username="budget-company", organization=org)
    official = f.OfficialFactory(username="budget-official", sectors=[semi])
    secretariat = f.SecretariatFactory(username="budget-secretariat")
    authored = {"created_by": secretariat}
    clear = {"marking": Marking.CLEAR}

    # Every row links to something, so that a relation read per row would show.
    concerns = f.ConcernFactory.create_batch(
        MANY, organization=org, submitted_by=company, sector=semi, category=concern_code
    )
    concern = concerns[0]
    chokepoints = f.ChokepointFactory.create_batch(
        MANY, sector=semi, holder_organizations=[org, other_orgs[0]], **clear
    )
    dependencies = f.DependencyFactory.create_batch(MANY, sector=semi, **clear)
    for through, target, value in (
        (Dependency.chokepoints.through, "chokepointtechnology", chokepoints[0]),
        (Dependency.concerns.through, "concern", concern),
    ):
        through.objects.bulk_create(through(dependency=d, **{target: value}) for d in dependencies)
    sessions = f.DialogueSessionFactory.create_batch(
        MANY,
        sectors=[semi],
        participating_organizations=[org, other_orgs[0]],
        **clear,
        **authored,
    )
    Participant.objects.bulk_create(
        Participant(session=s, name=name, organization=who)
        for s in sessions
        for name, who in [("企業 太郎", org), ("他社 次郎", other_orgs[0]), ("経済 花子", None)]
    )
    DialogueSession.chokepoints.through.objects.bulk_create(
        DialogueSession.chokepoints.through(dialoguesession=s, chokepointtechnology=chokepoints[0])
        for s in sessions
    )
    for s in sessions:
        s.agenda_items.create(topic="chokepoints", note="流出懸念")
    threats = f.ThreatFactory.create_batch(
        MANY,
        sector=semi,
        category=leaf,
        source_session=sessions[0],
        source_concern=concern,
        **clear,
        **authored,
    )
    Threat.chokepoints.through.objects.bulk_create(
        Threat.chokepoints.through(threat=t, chokepointtechnology=c)
        for t in threats
        for c in chokepoints[:2]
    )
    # Each agenda item raises a threat and a chokepoint (shown only where visible).
    for position, s in enumerate(sessions):
        s.agenda_items.update(threat=threats[position], chokepoint=chokepoints[position])
    # International sessions under a forum, with no sector.
    forum = f.forum(officials=[official])
    for s in sessions[-50:]:
        s.forum = forum
        s.save(update_fields=["forum"])
    f.FollowUpActionFactory.create_batch(
        MANY,
        sector=semi,
        owner=official,
        session=sessions[0],
        threat=threats[0],
        concern=concern,
        **clear,
        **authored,
    )
    f.PlanRevisionFactory.create_batch(MANY, **authored)
    notices = f.NoticeFactory.create_batch(MANY, sectors=[semi], author=secretariat)
    Notice.chokepoints.through.objects.bulk_create(
        Notice.chokepoints.through(notice=n, chokepointtechnology=chokepoints[0]) for n in notices
    )
    Notice.threat_categories.through.objects.bulk_create(
        Notice.threat_categories.through(notice=n, threatcategory=leaf) for n in notices
    )

    # Threads: one concern with a single message and file, one with many of both.
    thread_one, thread_many = concerns[1], concerns[2]
    f.ConcernMessageFactory(concern=thread_one, author=official)
    f.ConcernMessageFactory.create_batch(MANY, concern=thread_many, author=official)
    f.ConcernMessageFactory.create_batch(5, concern=thread_many, author=official, is_internal=True)
    f.ConcernAttachmentFactory(concern=thread_one, uploaded_by=company)
    f.ConcernAttachmentFactory.create_batch(
        MANY, concern=thread_many, uploaded_by=company, file="concerns/budget/report.pdf"
    )

    # Details: one related row against many.
    threat_one, threat_many = f.ThreatFactory.create_batch(
        2, sector=semi, category=leaf, source_concern=concern, **clear, **authored
    )
    threat_one.chokepoints.set(chokepoints[:1])
    threat_many.chokepoints.set(chokepoints[:60])
    threat_many.named_users.set([official, secretariat, company])
    session_one, session_many = f.DialogueSessionFactory.create_batch(
        2, sectors=[semi], participating_organizations=[org], **clear, **authored
    )
    session_one.participants.create(name="企業 太郎", organization=org)
    session_one.chokepoints.set(chokepoints[:1])
    session_one.agenda_items.create(topic="chokepoints")
    session_many.sectors.add(domain)
    session_many.participating_organizations.add(*other_orgs[:40])
    Participant.objects.bulk_create(
        Participant(session=session_many, name=f"参加者{i}", organization=who)
        for i, who in enumerate([org, None, *other_orgs[:40]] * 2)
    )
    session_many.chokepoints.set(chokepoints[:40])
    session_many.named_users.set([official, secretariat])
    for i in range(20):
        session_many.agenda_items.create(
            topic="compliance_rules",
            note=f"議題{i}",
            position=i,
            threat=threats[i],
            chokepoint=chokepoints[i],
        )

    return {
        "users": {"official": official, "company": company},
        "thread_one": thread_one,
        "thread_many": thread_many,
        "threat_one": threat_one,
        "threat_many": threat_many,
        "session_one": session_one,
        "session_many": session_many,
    }


def measure(client: APIClient, url: str):
    """The response and the queries it ran (after one warm-up request)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response, [q["sql"] for q in queries.captured_queries]


def assert_same_budget(request: str, counts: dict, queries: dict) -> None:
    """More rows cost no more queries than few (`counts` goes from fewest to most rows),
    and no more than the request's ceiling (tests/support/query_ceilings.py).

    A relation that no row of a small page links to needs no visibility query
    (`mark_visible_related`), so the first measurement may be lower.
    """
    smallest, *larger = counts
    assert len({counts[size] for size in larger}) == 1, (
        f"query counts differ: {counts}\n" + "\n".join(queries[max(counts, key=counts.get)])
    )
    assert counts[smallest] <= counts[larger[0]], f"query counts differ: {counts}"
    assert max(counts.values()) <= CEILING, f"{counts} exceeds {CEILING}"
    assert_within_ceiling(request, max(counts.values()))


# -- paginated lists ---------------------------------------------------------

PAGINATED = {
    "organizations": Organization,
    "sessions": DialogueSession,
    "threats": Threat,
    "chokepoints": ChokepointTechnology,
    "dependencies": Dependency,
    "concerns": Concern,
    "actions": FollowUpAction,
    "plan-revisions": PlanRevision,
    "notices": Notice,
}
# What a company user can never see many of, by rule: other organizations, plan revisions.
FEW_FOR_COMPANIES = {"organizations", "plan-revisions"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", PAGINATED)
def test_list_costs_the_same_at_every_page_size(world, resource, role):
    user = world["users"][role]
    visible = PAGINATED[resource].objects.visible_to(user).count()
    if role == "official" or resource not in FEW_FOR_COMPANIES:
        assert visible >= MANY
    client = client_for(user)

    counts, queries = {}, {}
    for size in PAGE_SIZES:
        response, queries[size] = measure(client, f"/api/v1/{resource}/?page_size={size}")
        assert len(response.json()["results"]) == min(size, visible)
        counts[size] = len(queries[size])

    assert_same_budget(f"GET /api/v1/{resource}/", counts, queries)


# -- lists without pages -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("child", ["messages", "attachments"])
def test_concern_thread_costs_the_same_for_one_and_many_rows(world, child, role):
    client = client_for(world["users"][role])
    model = {"messages": ConcernMessage, "attachments": ConcernAttachment}[child]

    counts, queries = {}, {}
    for thread in ("thread_one", "thread_many"):
        concern = world[thread]
        key = concern.reference if role == "company" else concern.pk
        response, queries[thread] = measure(client, f"/api/v1/concerns/{key}/{child}/")
        rows = model.objects.visible_to(world["users"][role]).filter(concern=concern).count()
        assert len(response.json()) == rows
        assert rows >= (MANY if thread == "thread_many" else 1)
        counts[thread] = len(queries[thread])

    assert_same_budget(f"GET /api/v1/concerns/{{id}}/{child}/", counts, queries)


# Forums are for officials: a company user's list is always empty.
REFERENCE_LISTS = [
    *((resource, role) for resource in ("sectors", "threat-categories") for role in ROLES),
    ("forums", "official"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "role"), REFERENCE_LISTS)
def test_reference_list_costs_the_same_for_few_and_many_rows(world, resource, role):
    client = client_for(world["users"][role])
    model = {"sectors": Sector, "threat-categories": ThreatCategory, "forums": Forum}[resource]

    counts, queries = {}, {}
    response, queries["few"] = measure(client, f"/api/v1/{resource}/")
    counts["few"] = len(queries["few"])
    # when: many more rows, each with a parent
    if resource == "sectors":
        parent = Sector.objects.get(code="budget-domain")
        f.SectorFactory.create_batch(MANY, parent=parent)
    elif resource == "forums":
        officials = list(User.objects.filter(role="official")[:3])
        for n in range(MANY):
            forum = Forum.objects.create(
                code=f"budget-forum-{n}", name_ja=f"会合{n}", counterpart_countries=["US"]
            )
            forum.officials.set(officials)
    else:
        parent = ThreatCategory.objects.get(code="2")
        f.ThreatCategoryFactory.create_batch(
            MANY,
            code=factory.Sequence(lambda n: f"9-{n}"),
            parent=parent,
            name_ja="追加",
            name_en="extra",
        )
    response, queries["many"] = measure(client, f"/api/v1/{resource}/")
    counts["many"] = len(queries["many"])

    assert len(response.json()) == model.objects.count() > MANY
    assert_same_budget(f"GET /api/v1/{resource}/", counts, queries)


# -- details -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", ["threats", "sessions"])
def test_detail_costs_the_same_for_one_and_many_related_rows(world, resource, role):
    client = client_for(world["users"][role])
    singular = resource.removesuffix("s")

    counts, queries = {}, {}
    for size in ("one", "many"):
        obj = world[f"{singular}_{size}"]
        response, queries[size] = measure(client, f"/api/v1/{resource}/{obj.pk}/")
        counts[size] = len(queries[size])
        related = {"threats": "chokepoints", "sessions": "participants"}[resource]
        shown = len(response.json()[related])
        assert shown == 1 if size == "one" else shown >= 4

    assert_same_budget(f"GET /api/v1/{resource}/{{id}}/", counts, queries)
