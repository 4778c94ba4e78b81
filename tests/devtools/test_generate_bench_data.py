from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from dialogue.devtools.bench.people import size_class
from dialogue.devtools.bench.vocabulary import TextPool
from dialogue.enums import Role, SectorKind, SizeClass
from dialogue.models import (
    ChokepointTechnology,
    Concern,
    DialogueSession,
    FollowUpAction,
    Organization,
    Sector,
    Threat,
    ThreatCategory,
    User,
)
from dialogue.validators import validate_corporate_number

# Queries for a whole run at test scales: a fixed number per table, not per row
# (about 37 on SQLite at 0.001 and 0.002; PostgreSQL needs fewer, larger batches).
QUERY_BUDGET = 50

TABLES = {
    "organizations": Organization,
    "sessions": DialogueSession,
    "threats": Threat,
    "concerns": Concern,
    "chokepoints": ChokepointTechnology,
    "actions": FollowUpAction,
}


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_bench_data", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {name: model.objects.count() for name, model in TABLES.items()}


@pytest.mark.django_db
def test_generate_bench_data_requires_reference_data(without_reference_data):
    with pytest.raises(CommandError, match="load_reference_data"):
        generate("--scale", "0.001")


@pytest.mark.django_db
def test_generate_bench_data_proportional_counts(reference_data):
    # given
    before = counts()

    # when
    output = generate("--scale", "0.002", "--seed", "7")

    # then: scale 1 is 5,000 / 20,000 / 120,000 / 80,000 / 2,000 / 100,000
    added = {name: n - before[name] for name, n in counts().items()}
    assert added == {
        "organizations": 10,
        "sessions": 40,
        "threats": 240,
        "concerns": 160,
        "chokepoints": 4,
        "actions": 200,
    }
    assert added["threats"] / added["sessions"] == 6
    assert added["concerns"] / added["sessions"] == 4
    assert added["actions"] / added["sessions"] == 5
    assert added["sessions"] / added["organizations"] == 4
    assert Sector.objects.filter(kind=SectorKind.SECTOR).count() == 20
    assert Sector.objects.filter(code__startswith="bench-sector-").exists()
    assert User.objects.filter(role=Role.OFFICIAL).count() == 20
    assert User.objects.filter(role=Role.COMPANY).count() == 4  # 2 users for 20% of 10 orgs
    for name in ("organizations", "dialogue sessions", "threats", "concerns", "total"):
        assert name in output
    for org in Organization.objects.all():
        validate_corporate_number(org.corporate_number)


@pytest.mark.django_db
def test_generate_bench_data_spread(reference_data):
    generate("--scale", "0.002", "--seed", "11")
    today = timezone.localdate()

    sectors = Counter(Threat.objects.values_list("sector__code", flat=True))
    assert len(sectors) >= 5
    assert sectors.most_common(1)[0][0] == "semiconductors"
    assert sectors["batteries"] > sectors.get("natural-gas", 0)

    codes = Counter(Threat.objects.values_list("category__code", flat=True))
    leaves = set(
        ThreatCategory.objects.filter(children__isnull=True).values_list("code", flat=True)
    )
    assert len(codes) >= 5
    assert set(codes) <= leaves

    markings = Counter(Threat.objects.values_list("marking", flat=True))
    assert {"AMBER", "AMBER+STRICT", "GREEN"} <= set(markings)
    assert markings["RED"] < markings["AMBER"]

    due = list(FollowUpAction.objects.values_list("due_on", flat=True))
    assert min(due) < today < max(due)
    assert FollowUpAction.objects.overdue().exists()
    created = Threat.objects.values_list("created_at", flat=True)
    assert (max(created) - min(created)).days > 365

    for concern in Concern.objects.select_related("submitted_by")[:50]:
        assert concern.submitted_by.organization_id == concern.organization_id
    threat = Threat.objects.first()
    assert 20 <= len(threat.title) <= 60
    assert 200 <= len(threat.description) <= 800
    assert threat.severity == threat.likelihood * threat.impact


@pytest.mark.django_db
def test_generate_bench_data_writes_no_history(reference_data):
    before = (Threat.history.count(), Concern.history.count(), User.history.count())

    generate("--scale", "0.001")

    assert (Threat.history.count(), Concern.history.count(), User.history.count()) == before


@pytest.mark.django_db
def test_generate_bench_data_query_budget_does_not_grow_with_scale(
    reference_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(QUERY_BUDGET):
        generate("--scale", "0.001", "--seed", "1")
    # A second run appends (new corporate numbers, reused sectors and officials).
    with django_assert_max_num_queries(QUERY_BUDGET):
        generate("--scale", "0.002", "--seed", "2")

    assert Organization.objects.filter(name_en__startswith="Bench Org ").count() == 15
    assert Sector.objects.filter(kind=SectorKind.SECTOR).count() == 20
    assert User.objects.filter(role=Role.OFFICIAL).count() == 20


class _Rollback(Exception):
    pass


def _snapshot() -> list[tuple]:
    return list(
        Threat.objects.order_by("id").values_list(
            "title", "sector__code", "category__code", "likelihood", "impact", "marking"
        )
    )


@pytest.mark.django_db
def test_generate_bench_data_same_seed_same_data(reference_data):
    snapshots = []
    for _ in range(2):
        with pytest.raises(_Rollback), transaction.atomic():
            generate("--scale", "0.001", "--seed", "5")
            snapshots.append(_snapshot())
            raise _Rollback
    assert snapshots[0] == snapshots[1]
    assert snapshots[0]


def test_text_pool_lengths():
    import random

    pool = TextPool(random.Random(3), size=300)
    assert all(20 <= len(title) <= 60 for title in pool.titles)
    assert all(200 <= len(text) <= 800 for text in pool.descriptions)
    assert TextPool(random.Random(3), size=300).titles == pool.titles


@pytest.mark.django_db
def test_generate_bench_data_if_missing_generates_once(reference_data):
    # given: no bench data yet
    first = generate("--scale", "0.001", "--if-missing")
    assert "Missing bench data" in first
    loaded = counts()
    assert loaded["threats"] == 120

    # when: asked again for the same scale, then for a smaller one
    again = generate("--scale", "0.001", "--if-missing")
    smaller = generate("--scale", "0.0005", "--if-missing")

    # then: nothing is appended
    assert "already loaded; nothing generated" in again
    assert "already loaded; nothing generated" in smaller
    assert counts() == loaded

    # and a larger scale appends one more batch
    generate("--scale", "0.002", "--if-missing")
    assert counts()["threats"] == 120 + 240


def test_bench_organizations_come_in_the_plan_s_three_size_classes():
    draws = [0.0, 0.59, 0.6, 0.74, 0.75, 0.99]
    assert [size_class(draw) for draw in draws] == [
        SizeClass.SME,
        SizeClass.SME,
        SizeClass.MIDSIZE,
        SizeClass.MIDSIZE,
        SizeClass.LARGE,
        SizeClass.LARGE,
    ]
