"""Every benchmark checks that its sides return the same result before it measures.

On a few factory rows: the check passes for each benchmark as it is, and a reference
made wrong on purpose (one row dropped or one number changed) fails it with a
BenchmarkError naming the difference.
"""

import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone

from dialogue.devtools.benchmarks import api_threats, digests, exports, heat_map, reminders
from dialogue.devtools.benchmarks.inprocess import first_sides
from dialogue.devtools.benchmarks.registry import (
    Benchmark,
    BenchmarkError,
    RunOptions,
    benchmarks,
    check_same,
    first_difference,
)
from dialogue.enums import Marking
from dialogue.models import Reminder
from tests import factories as f

postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmarks measure PostgreSQL"
)


# -- the comparison itself -----------------------------------------------------------------
def test_first_difference_names_where_the_values_differ():
    assert first_difference({"a": [1, 2]}, {"a": [1, 2]}) is None
    assert first_difference({("s", "1-2"): 41}, {("s", "1-2"): 40}) == "[('s', '1-2')]: 41 != 40"
    assert "only the reference has it" in first_difference({}, {"x": 1})
    assert "only ours has it" in first_difference({"x": 1}, {})
    assert first_difference([1, 2, 3], [1, 2]) == "rows: 3 items != 2 items"
    assert first_difference([(1, "a"), (2, "b")], [(1, "a"), (2, "c")]) == "[1][1]: 'b' != 'c'"
    assert "offset 63" in first_difference(b"a" * 63 + b"bc", b"a" * 63 + b"Xc")
    assert "1 only ours" in first_difference({1, 2}, {2})


def test_check_same_compares_every_side_with_ours():
    assert "return the same list of 2 items" in check_same("x", {"ours": [1, 2], "ref": [1, 2]})
    with pytest.raises(BenchmarkError, match=r"x: ours and other do not return the same result"):
        check_same("x", {"ours": [1, 2], "ref": [1, 2], "other": [1]})
    with pytest.raises(BenchmarkError, match="at least one reference"):
        check_same("x", {"ours": [1]})


def test_a_benchmark_without_outcomes_cannot_be_verified():
    class Silent(Benchmark):
        name = "silent"

    with pytest.raises(BenchmarkError, match="does not say what its sides return"):
        Silent(RunOptions(), say=lambda line: None).verify()


def test_every_registered_benchmark_says_what_its_sides_return():
    for name, cls in benchmarks().items():
        assert cls.outcomes is not Benchmark.outcomes, f"{name} has no outcomes()"


def test_the_first_side_alternates_across_runs():
    assert first_sides(["ours", "reference"], 3, run_index=0) == ["ours", "reference", "ours"]
    assert first_sides(["ours", "reference"], 3, run_index=1) == ["reference", "ours", "reference"]
    assert first_sides(["ours", "reference"], 1, run_index=0) != first_sides(
        ["ours", "reference"], 1, run_index=1
    )


# -- each benchmark on a few rows -------------------------------------------------------
@pytest.fixture
def tiny_bench_data(semiconductors, batteries, code):
    """The people the benchmarks look for, and rows that each side must count alike:
    every marking, a RED threat naming the official, actions due in 7 days, tomorrow,
    overdue and long overdue (escalated to the sector lead), a concern, a chokepoint."""
    secretariat = f.SecretariatFactory(username="bench-secretariat")
    official = f.OfficialFactory(username="semi_official", sectors=[semiconductors])
    semiconductors.lead = official
    semiconductors.save(update_fields=["lead"])
    for number, marking in enumerate(Marking.values * 3):
        f.ThreatFactory(
            sector=semiconductors if number % 2 else batteries,
            category=code("1-2" if number % 3 else "2-1"),
            marking=marking,
            created_by=secretariat,
            named_users=[official] if marking == Marking.RED and number % 2 else [],
        )
    f.ConcernFactory(sector=semiconductors, category=code("1-2"))
    f.ChokepointFactory(sector=semiconductors, marking=Marking.GREEN)
    today = timezone.localdate()
    for days, marking in ((-30, Marking.AMBER), (-20, Marking.GREEN), (-3, Marking.RED)):
        f.FollowUpActionFactory(
            sector=semiconductors,
            owner=official,
            marking=marking,
            due_on=today + datetime.timedelta(days=days),
        )
    for days in (1, 7):
        f.FollowUpActionFactory(
            sector=batteries, owner=official, due_on=today + datetime.timedelta(days=days)
        )
    return official


def _benchmark(name: str):
    benchmark = benchmarks()[name](RunOptions(allow_small=True, rounds=1), say=lambda line: None)
    benchmark.check()
    return benchmark


IN_PROCESS = [
    "dashboard-heat-map",
    "digest-secretariat",
    "export-csv",
    "export-xlsx",
    "reminder-sweep",
]


@pytest.mark.django_db
@postgresql
@pytest.mark.parametrize("name", IN_PROCESS)
def test_the_sides_return_the_same_result(name, tiny_bench_data):
    benchmark = _benchmark(name)

    compared = benchmark.verify()

    assert "return the same" in compared


@pytest.mark.django_db
@postgresql
def test_the_sweep_comparison_covers_escalations_and_leaves_the_ledger_as_it_was(
    tiny_bench_data,
):
    benchmark = _benchmark("reminder-sweep")

    outcomes = benchmark.outcomes()

    kinds = {kind for _, kind, _, _ in outcomes["sweep"]}
    assert kinds == {"due_7d", "due_1d", "overdue", "escalation"}
    assert outcomes["sweep"] == outcomes["reference"]
    assert not Reminder.objects.exists()


def _drop_first(rows):
    return rows[1:]


WRONG_REFERENCES = {
    # name: (module, attribute, how to make its result wrong)
    "dashboard-heat-map": (
        heat_map,
        "raw_heat_map",
        lambda real: lambda user: dict(list(real(user).items())[1:]),
    ),
    "digest-secretariat": (
        digests,
        "raw_digest",
        lambda real: (
            lambda since, today: {
                **real(since, today),
                "actions_overdue": real(since, today)["actions_overdue"] + 1,
            }
        ),
    ),
    "reminder-sweep": (
        reminders,
        "reference_statement",
        lambda real: lambda today: _drop_first(real(today)),
    ),
    "export-csv": (
        exports,
        "copy_csv_chunks",
        lambda real: lambda queryset: iter(list(real(queryset))[1:]),
    ),
    "export-xlsx": (
        exports.ExportXlsxBenchmark,
        "python_csv_chunks",
        lambda real: (
            lambda self: exports.iter_csv(self._head(), list(self.export.rows.iterator())[1:])
        ),
    ),
}


@pytest.mark.django_db
@postgresql
@pytest.mark.parametrize("name", sorted(WRONG_REFERENCES))
def test_a_wrong_reference_stops_the_benchmark(name, tiny_bench_data, monkeypatch):
    owner, attribute, wrong = WRONG_REFERENCES[name]
    monkeypatch.setattr(owner, attribute, wrong(getattr(owner, attribute)))
    benchmark = _benchmark(name)

    with pytest.raises(BenchmarkError, match="do not return the same result; first difference"):
        benchmark.verify()


# -- the API benchmark, through the test client instead of gunicorn --------------------------
@pytest.fixture
def api_through_client(client, monkeypatch, semiconductors, code):
    """bench-secretariat, 60 threats, and `fetch` answered by the test client."""
    secretariat = f.SecretariatFactory(username="bench-secretariat")
    for number in range(60):
        f.ThreatFactory(
            sector=semiconductors,
            category=code("1-2"),
            marking=Marking.RED if number % 7 == 0 else Marking.GREEN,
            created_by=secretariat,
        )
    tamper = {}

    def fetch(host, port, path, headers):
        response = client.get(path, HTTP_AUTHORIZATION=headers["Authorization"])
        body = response.content
        if path in tamper:
            body = tamper[path](body)
        return response.status_code, body

    monkeypatch.setattr(api_threats, "fetch", fetch)
    return tamper


class _Server:
    host, port = "127.0.0.1", 0


@pytest.mark.django_db
@pytest.mark.urls("dialogue.devtools.benchmarks.urls")
def test_api_threats_compares_both_pages_field_by_field(api_through_client):
    benchmark = _benchmark("api-threats")

    assert "return the same list of 50 items" in benchmark.verify(_Server())


@pytest.mark.django_db
@pytest.mark.urls("dialogue.devtools.benchmarks.urls")
def test_api_threats_stops_when_the_reference_drops_a_row(api_through_client):
    def drop_second_row(body: bytes) -> bytes:
        page = json.loads(body)
        del page["results"][1]
        return json.dumps(page).encode()

    api_through_client[api_threats.REFERENCE_PATH] = drop_second_row
    benchmark = _benchmark("api-threats")

    with pytest.raises(BenchmarkError, match=r"first difference at \[1\]\[0\]"):
        benchmark.verify(_Server())
