"""Every in-process benchmark runs once on a few factory rows.

`make bench` is not part of the suite (it takes minutes on the bench data set), so
these runs catch a benchmark that no longer fits the services and selectors it
measures. Only that it runs and judges its goals is asserted, never a figure.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from dialogue.devtools.benchmarks.registry import RunOptions, benchmarks
from dialogue.enums import Marking
from tests import factories as f

IN_PROCESS = sorted(name for name, cls in benchmarks().items() if not cls.needs_server)


@pytest.fixture
def small_bench_data(semiconductors, code):
    """The people the benchmarks look for, and a few rows for each to read."""
    f.SecretariatFactory(username="bench-secretariat")
    official = f.OfficialFactory(username="semi_official", sectors=[semiconductors])
    for marking in (Marking.CLEAR, Marking.AMBER, Marking.RED):
        f.ThreatFactory(sector=semiconductors, category=code("1-2"), marking=marking)
    today = timezone.localdate()
    for days in (-3, 1, 7):
        f.FollowUpActionFactory(
            sector=semiconductors, owner=official, due_on=today + datetime.timedelta(days=days)
        )


def test_the_in_process_benchmarks_are_found():
    assert {"dashboard-heat-map", "digest-secretariat", "export-csv", "reminder-sweep"} <= set(
        IN_PROCESS
    )


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmarks measure PostgreSQL")
@pytest.mark.parametrize("name", IN_PROCESS)
def test_an_in_process_benchmark_runs_once_on_small_data(name, small_bench_data):
    benchmark = benchmarks()[name](RunOptions(allow_small=True, rounds=1), say=lambda line: None)

    benchmark.check()
    result = benchmark.run(None)

    assert result.name == name and not result.error
    assert any(goal.judged for goal in result.goals)
    assert result.figures and all(result.figures.values())


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmarks measure PostgreSQL")
def test_the_pdf_report_benchmark_finds_the_same_report_in_both_files(small_bench_data):
    benchmark = benchmarks()["pdf-report"](
        RunOptions(allow_small=True, rounds=1), say=lambda line: None
    )
    benchmark.check()

    outcomes = benchmark.outcomes(None)

    assert outcomes["ours"] == outcomes["reference"]
    markings, has_pages, rows = outcomes["ours"]
    assert markings and has_pages and rows > 0
    assert benchmark.verify(None)
