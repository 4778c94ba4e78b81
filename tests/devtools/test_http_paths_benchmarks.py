"""The benchmarks of the paths users take run once on a few factory rows, over real HTTP.

Each starts gunicorn (the bench settings) on the test database, so the rows are
committed (a transactional test) and PostgreSQL is needed. Only that each one
runs, passes its same-result check and reports its figures is asserted, never a
figure; the portal benchmark must also leave nothing behind.
"""

import os

import pytest
from django.db import connection, transaction

from dialogue.devtools.benchmarks.registry import RunOptions, benchmarks
from dialogue.devtools.benchmarks.server import BenchServer, ServerOptions
from dialogue.devtools.benchmarks.views import page_spec_path
from dialogue.enums import Marking
from dialogue.models import Concern, ConcernAttachment, Notification, PortalSubmission
from tests import factories as f

pytestmark = [
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="the benchmarks measure PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]

OPTIONS = RunOptions(allow_small=True, rounds=1, requests=4, warmup=1, concurrency=2)


@pytest.fixture
def paths_data(semiconductors, code):
    """A semiconductor official and a company user of a semiconductor company, with
    threats, a session and concerns for both to read."""
    official = f.OfficialFactory(username="semi_official", sectors=[semiconductors])
    organization = f.OrganizationFactory(sectors=[semiconductors])
    company_user = f.CompanyUserFactory(username="semi_company", organization=organization)
    markings = [Marking.CLEAR, Marking.GREEN, Marking.AMBER, Marking.AMBER_STRICT, Marking.RED]
    for number in range(60):
        f.ThreatFactory(
            sector=semiconductors,
            category=code("1-2"),
            marking=markings[number % len(markings)],
            title=f"半導体材料の供給途絶リスク {number}",
        )
    f.DialogueSessionFactory(sectors=[semiconductors], marking=Marking.GREEN)
    for _ in range(3):
        with transaction.atomic():  # the reference number locks the organization's row
            f.ConcernFactory(
                organization=organization,
                submitted_by=company_user,
                sector=semiconductors,
                category=code("2-2"),
            )
    return official, company_user


@pytest.fixture
def server(monkeypatch, settings):
    """gunicorn with the bench settings on the test database and the test uploads."""
    db = connection.settings_dict
    monkeypatch.setenv(
        "DATABASE_URL",
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    )
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", str(settings.MEDIA_ROOT))
    with BenchServer(ServerOptions(workers=1)) as running:
        yield running


def _run(name, server, **attributes):
    benchmark = benchmarks()[name](OPTIONS, say=lambda line: None)
    for attribute, value in attributes.items():
        setattr(benchmark, attribute, value)
    benchmark.check()
    outcomes = benchmark.outcomes(server)
    first, *others = outcomes.values()
    assert others and all(other == first for other in others)
    return benchmark.run(server)


def test_api_roles_runs_once_as_an_official_and_a_company_user(paths_data, server):
    result = _run("api-roles", server)

    assert not result.error
    assert set(result.figures) == {
        "official-api",
        "official-reference",
        "company-api",
        "company-reference",
    }
    assert [goal.name for goal in result.goals if goal.judged] == [
        "official: api rps / reference rps",
        "official: api p99 / reference p99",
        "company: api rps / reference rps",
        "company: api p99 / reference p99",
    ]
    assert result.notes["users"] == {"official": "semi_official", "company": "semi_company"}


def test_workspace_pages_runs_once_with_the_same_bytes_as_their_references(paths_data, server):
    result = _run("workspace-pages", server, deep_page=2)

    assert not result.error
    pages = ["dashboard", "threats-first", "threats-deep", "session-detail", "concern-inbox"]
    assert set(result.figures) >= {*pages, *(f"{page}-reference" for page in pages), "search"}
    assert result.notes["paths"]["threats-deep"] == "/threats/?page=2"
    assert all(count > 0 for count in result.notes["page_statements"].values())
    assert not any(page_spec_path(page).exists() for page in result.notes["paths"])


def test_portal_submit_runs_once_and_leaves_nothing_behind(paths_data, server, settings):
    before = {
        model: model.objects.count()
        for model in (Concern, ConcernAttachment, Notification, PortalSubmission)
    }
    files_before = _files(settings.MEDIA_ROOT)

    result = _run("portal-submit", server)

    assert not result.error
    assert set(result.figures) == {"portal", "reference"}
    assert result.notes["portal_also_writes_per_submission"]["ledger_rows"] == 1
    assert {model: model.objects.count() for model in before} == before
    assert not Concern.history.model.objects.filter(title__startswith="bench-portal-submit")
    assert _files(settings.MEDIA_ROOT) == files_before


def _files(root):
    return {path for path in root.rglob("*") if path.is_file()}
