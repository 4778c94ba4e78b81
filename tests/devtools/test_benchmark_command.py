"""`manage.py benchmark` and its reference endpoint, on factory data (no gunicorn here).

The command's runs, medians and summary are tested with stand-in benchmarks
that return set figures: nothing is measured at scale.
"""

import http.server
import io
import json
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dialogue.devtools.benchmarks import report
from dialogue.devtools.benchmarks.loadgen import LoadError, percentile, run_load
from dialogue.devtools.benchmarks.registry import (
    Benchmark,
    BenchmarkError,
    Goal,
    Result,
    RunOptions,
    median_of_runs,
)
from dialogue.devtools.benchmarks.server import BenchServer
from dialogue.enums import Marking
from tests import factories as f

API = "/api/v1/threats/?page_size=50"
REFERENCE = "/bench/threats-reference/"


@pytest.fixture
def official_with_threats(semiconductors, batteries, code):
    """An official of semiconductors and 90 threats, some of which the official may not see."""
    official = f.OfficialFactory(username="semi_official", sectors=[semiconductors])
    author = f.SecretariatFactory(username="author")
    markings = [Marking.CLEAR, Marking.GREEN, Marking.AMBER, Marking.AMBER_STRICT, Marking.RED]
    for number in range(90):
        threat = f.ThreatFactory(
            sector=semiconductors if number % 3 else batteries,
            category=code("1-2" if number % 2 else "2-1"),
            marking=markings[number % len(markings)],
            created_by=author,
        )
        if number % 10 == 4:  # some RED threats name the official
            threat.named_users.set([official])
    return official


def _get(client, path, token):
    response = client.get(path, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
@pytest.mark.urls("dialogue.devtools.benchmarks.urls")
def test_reference_endpoint_lists_the_same_threats_as_the_api(client, official_with_threats):
    token = f.api_key(official_with_threats)

    api = _get(client, API, token)
    reference = _get(client, REFERENCE, token)

    api_ids = [row["id"] for row in api["results"]]
    assert len(api_ids) == 50
    assert [row["id"] for row in reference["results"]] == api_ids
    first = reference["results"][0]
    assert first["sector__code"] == api["results"][0]["sector_code"]
    assert first["sector_name"] == api["results"][0]["sector_name"]
    assert first["category__code"] == api["results"][0]["category"]
    assert first["category_name"] == api["results"][0]["category_name"]

    # The keyset cursor continues where the API's next page does.
    api_next = client.get(api["next"], HTTP_AUTHORIZATION=f"Token {token}").json()
    reference_next = _get(client, f"{REFERENCE}?cursor={reference['next']}", token)
    assert [row["id"] for row in reference_next["results"]] == [
        row["id"] for row in api_next["results"]
    ]
    assert reference_next["next"] is None
    assert len(api_ids) + len(api_next["results"]) < 90  # some threats are hidden from the official


@pytest.mark.django_db
@pytest.mark.urls("dialogue.devtools.benchmarks.urls")
def test_reference_endpoint_requires_a_token(client, official_with_threats):
    assert client.get(REFERENCE).status_code == 401
    assert client.get(REFERENCE, HTTP_AUTHORIZATION="Token nope").status_code == 401


@pytest.mark.django_db
def test_reference_endpoint_is_not_in_the_production_urlconf(client, official_with_threats):
    token = f.api_key(official_with_threats)
    response = client.get(REFERENCE, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 404


@pytest.fixture
def no_server(monkeypatch):
    def refuse(self):
        raise AssertionError("the benchmark server must not start")

    monkeypatch.setattr(BenchServer, "start", refuse)


@pytest.mark.django_db
def test_benchmark_refuses_a_database_without_bench_data(official_with_threats, no_server):
    with pytest.raises(CommandError) as refused:
        call_command("benchmark", "api-threats", stdout=io.StringIO())
    message = str(refused.value)
    assert "90 threats, fewer than 10,000" in message
    assert "generate_bench_data --scale 1" in message


@pytest.mark.django_db
def test_benchmark_refuses_unknown_names(no_server):
    with pytest.raises(CommandError, match="Unknown benchmark nope; known: api-threats"):
        call_command("benchmark", "nope", stdout=io.StringIO())


def test_benchmark_lists_its_benchmarks(no_server):
    out = io.StringIO()
    call_command("benchmark", "--list", stdout=out)
    assert out.getvalue().startswith("api-threats ")


def test_goals_compare_in_the_stated_direction():
    assert Goal("rps ratio", 0.30, ">=", 0.30).met
    assert not Goal("rps ratio", 0.29, ">=", 0.30).met
    assert Goal("p99 ratio", 3.0, "<=", 3.0).met
    assert not Goal("p99 ratio", 3.1, "<=", 3.0).met


def test_percentile_is_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile([7.0], 99) == 7.0


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the load generator expects

    def do_GET(self):
        status = 200 if self.path == "/ok" else 500
        body = b'{"ok": true}'
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def tiny_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_load_generator_sends_the_requested_number_of_requests(tiny_server):
    sample = run_load(
        "127.0.0.1", tiny_server, "/ok", headers={}, requests=40, concurrency=3, max_seconds=10
    )
    assert sample.requests == 40
    assert sample.errors == 0
    assert sample.rps > 0


def test_load_generator_counts_failed_requests(tiny_server):
    sample = run_load(
        "127.0.0.1", tiny_server, "/fail", headers={}, requests=5, concurrency=1, max_seconds=10
    )
    assert sample.requests == 0
    assert sample.errors == 5
    assert sample.first_error == "HTTP 500"


def test_load_generator_targets_loopback_only():
    with pytest.raises(LoadError, match="loopback"):
        run_load("192.0.2.1", 80, "/", headers={}, requests=1, concurrency=1, max_seconds=1)


# -- runs, medians and the summary in docs/benchmarks.md ------------------------
def _result(ours: float, reference: float, *, queries: int = 4, name: str = "fake") -> Result:
    return Result(
        name=name,
        description="a stand-in",
        label="ours vs the floor",
        figures={
            "ours": {"median_ms": ours, "queries": queries},
            "floor": {"median_ms": reference, "queries": 1},
        },
        goals=[
            Goal(
                "ours / floor",
                ours / reference,
                "<=",
                2.0,
                ours="ours.median_ms",
                reference="floor.median_ms",
            )
        ],
    )


def test_median_of_runs_takes_the_median_of_each_figure_and_of_each_runs_ratio():
    runs = [_result(300.0, 100.0), _result(100.0, 90.0), _result(200.0, 40.0, queries=5)]

    combined = median_of_runs(runs)

    assert combined.runs == 3
    assert combined.figures["ours"]["median_ms"] == 200.0
    assert combined.figures["floor"]["median_ms"] == 90.0
    assert combined.figures["ours"]["queries"] == 4  # whole numbers stay whole
    # The runs' own ratios are 3.0, 1.11 and 5.0: their median, not 200 / 90.
    assert combined.goals[0].value == 3.0
    assert not combined.met
    assert combined.notes["goal_values_per_run"]["ours / floor"] == [3.0, 100 / 90, 5.0]
    assert combined.goals[0].ours == "ours.median_ms"


DOCUMENT = """# Benchmarks

Hand-written introduction.

<!-- bench:begin -->
old table
<!-- bench:end -->

## Running

Hand-written explanations | with a pipe.
"""


def test_docs_writer_replaces_only_the_generated_section(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text(DOCUMENT)
    passed = median_of_runs([_result(120.0, 100.0), _result(150.0, 100.0), _result(110.0, 100.0)])
    memory = Result(
        name="export",
        description="an export",
        label="export of 10 rows vs COPY",
        figures={"export": {"seconds": 2.5, "peak_mb": 61.0}, "copy": {"seconds": 2.0}},
        goals=[
            Goal("time ratio", 1.25, "<=", 1.5, ours="export.seconds", reference="copy.seconds"),
            Goal("peak memory growth", 61.0, "<=", 50, ours="export.peak_mb", unit="MB"),
            Goal("full / copy", 3.5, "", 0, ours="export.seconds", reference="copy.seconds"),
        ],
    )
    broken = Result(name="broken", description="-", error="the server did not start | at all")

    body = report.render(
        [passed, memory, broken], header=["**today**: 2 of 3 goals met."], footer=["Machine: x."]
    )
    report.write_section(path, body)

    text = path.read_text()
    before, rest = text.split("<!-- bench:begin -->\n")
    section, after = rest.split("<!-- bench:end -->")
    assert before == DOCUMENT.split("<!-- bench:begin -->")[0]
    assert after == DOCUMENT.split("<!-- bench:end -->")[1]
    assert "old table" not in text
    lines = section.splitlines()
    assert lines[0] == "**today**: 2 of 3 goals met."
    assert "| benchmark | compared | ours | reference | ratio | goal | |" in lines
    assert (
        "| `fake`: ours vs the floor | ours / floor | 120 ms, 4 queries | 100 ms, 1 query "
        "| 1.20 (1.10–1.50) | ≤ 2 | PASS |"
    ) in lines
    export = "| `export`: export of 10 rows vs COPY |"
    assert f"{export} time ratio | 2.50 s | 2.00 s | 1.25 | ≤ 1.5 | PASS |" in lines
    # A benchmark's further goals leave the benchmark cell empty.
    assert "|  | peak memory growth | 61.0 MB | – | – | ≤ 50 MB | **FAIL** |" in lines
    assert "|  | full / copy | 2.50 s | 2.00 s | 3.50 | – | reported |" in lines
    assert (
        "| `broken` | could not run: the server did not start \\| at all | | | | | **ERROR** |"
        in lines
    )
    assert lines[-1] == "- Machine: x."

    # Writing again replaces the section again, and only it.
    report.write_section(path, "new\n")
    assert path.read_text() == DOCUMENT.replace("old table", "new")


def test_docs_writer_needs_both_markers(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n<!-- bench:begin -->\nno end\n")
    with pytest.raises(report.DocsError, match="bench:end"):
        report.check_document(path)


class _Stand_in(Benchmark):
    """Returns the next figures of `plan` on every run; records how often it ran."""

    plan: list[tuple[float, float]] = []
    calls = 0

    def outcomes(self, server=None) -> dict[str, object]:
        return {"ours": [1, 2], "reference": [1, 2]}

    def run(self, server=None) -> Result:
        ours, reference = self.plan[type(self).calls % len(self.plan)]
        type(self).calls += 1
        result = _result(ours, reference, name=self.name)
        result.label = ""
        return result


def _stand_ins(**plans) -> dict[str, type[Benchmark]]:
    classes = {}
    for name, plan in plans.items():
        if isinstance(plan, Exception):
            error = plan

            def run(self, server=None, error=error):
                raise error

            attributes = {"run": run}
        else:
            attributes = {"plan": plan, "calls": 0}
        classes[name] = type(
            name,
            (_Stand_in,),
            {"name": name, "description": f"{name} stand-in", "label": f"{name} vs floor"}
            | attributes,
        )
    return classes


@pytest.fixture
def stand_ins(monkeypatch, no_server):
    def install(**plans):
        registry = _stand_ins(**plans)
        monkeypatch.setattr(
            "dialogue.devtools.management.commands.benchmark.benchmarks", lambda: registry
        )
        return registry

    return install


@pytest.fixture
def document(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text(DOCUMENT)
    return path


def _bench(*args) -> str:
    out = io.StringIO()
    call_command("benchmark", "--no-analyze", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_benchmark_reports_the_median_of_the_runs_and_writes_the_summary(stand_ins, document):
    registry = stand_ins(
        quick=[(110.0, 100.0), (300.0, 100.0), (120.0, 100.0)],
        steady=[(50.0, 100.0)],
    )

    output = _bench("--runs", "3", "--write-docs", str(document))

    assert registry["quick"].calls == 3 and registry["steady"].calls == 3
    assert "run 3/3" in output
    assert "median of 3 runs:" in output
    assert "ours / floor = 1.20 (runs: 1.10, 3.00, 1.20) (goal <= 2) PASS" in output
    text = document.read_text()
    assert text.startswith("# Benchmarks\n\nHand-written introduction.\n")
    assert text.endswith("## Running\n\nHand-written explanations | with a pipe.\n")
    assert "2 of 2 goals met. Medians of 3 runs per benchmark" in text
    assert (
        "| `quick`: quick vs floor | ours / floor | 120 ms, 4 queries | 100 ms, 1 query |" in text
    )
    assert "| 1.20 (1.10–3.00) | ≤ 2 | PASS |" in text
    assert "- Machine: " in text and "- Software: Python " in text
    assert "- Data: 0 threats, 0 concerns, 0 follow-up actions." in text
    assert "- Rounds per run, the sides alternating: quick 5; steady 5." in text


@pytest.mark.django_db
def test_benchmark_writes_the_summary_and_fails_when_a_goal_is_missed(stand_ins, document):
    stand_ins(slow=[(500.0, 100.0), (100.0, 100.0), (900.0, 100.0)])

    with pytest.raises(CommandError, match="Goal missed: slow"):
        _bench("--runs", "3", "--write-docs", str(document))

    text = document.read_text()
    assert "0 of 1 goals met" in text
    assert "| 5.00 (1.00–9.00) | ≤ 2 | **FAIL** |" in text


@pytest.mark.django_db
def test_a_benchmark_that_cannot_run_is_reported_and_the_others_still_run(stand_ins, document):
    registry = stand_ins(broken=BenchmarkError("no rows to compare"), fine=[(100.0, 100.0)])

    with pytest.raises(CommandError, match="Could not run: broken"):
        _bench("--runs", "2", "--write-docs", str(document))

    assert registry["fine"].calls == 2
    text = document.read_text()
    assert "| `broken` | could not run: no rows to compare | | | | | **ERROR** |" in text
    assert "1 of 1 goals met, 1 benchmark could not run." in text


@pytest.mark.django_db
def test_a_benchmark_whose_sides_differ_is_not_measured(stand_ins, document, monkeypatch):
    registry = stand_ins(differ=[(100.0, 100.0)], fine=[(100.0, 100.0)])
    monkeypatch.setattr(
        registry["differ"], "outcomes", lambda self, server=None: {"ours": [1, 2], "ref": [1, 3]}
    )

    with pytest.raises(CommandError, match="Could not run: differ"):
        _bench("--runs", "2", "--write-docs", str(document))

    assert registry["differ"].calls == 0
    assert registry["fine"].calls == 2
    text = document.read_text()
    assert "could not run: differ: ours and ref do not return the same result" in text
    assert "first difference at [1]: 2 != 3" in text


@pytest.mark.django_db
def test_benchmark_reports_what_the_same_result_check_compared(stand_ins, tmp_path):
    stand_ins(one=[(100.0, 100.0)])
    path = tmp_path / "results.json"

    out = _bench("--json", str(path))

    assert "same result: ours, reference return the same list of 2 items" in out
    [result] = json.loads(path.read_text())["results"]
    assert result["notes"]["same_result"] == "ours, reference return the same list of 2 items"


@pytest.mark.django_db
def test_benchmark_does_not_write_the_summary_for_some_benchmarks_only(stand_ins, document):
    stand_ins(one=[(100.0, 100.0)], two=[(100.0, 100.0)])
    err = io.StringIO()

    call_command(
        "benchmark",
        "one",
        "--no-analyze",
        "--write-docs",
        str(document),
        stdout=io.StringIO(),
        stderr=err,
    )

    assert "Not writing the benchmark summary" in err.getvalue()
    assert document.read_text() == DOCUMENT


@pytest.mark.django_db
def test_benchmark_refuses_a_document_without_markers_before_measuring(stand_ins, tmp_path):
    registry = stand_ins(one=[(100.0, 100.0)])
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n")

    with pytest.raises(CommandError, match="bench:begin"):
        _bench("--write-docs", str(path))

    assert registry["one"].calls == 0


def test_benchmark_refuses_fewer_than_one_run(no_server):
    with pytest.raises(CommandError, match="--runs must be at least 1"):
        call_command("benchmark", "--runs", "0", stdout=io.StringIO())


def test_rounds_default_to_each_benchmarks_own():
    class Slow(Benchmark):
        default_rounds = 1

    assert Slow(RunOptions()).rounds == 1
    assert Slow(RunOptions(rounds=4)).rounds == 4
    assert RunOptions().runs == 3


def test_bench_server_listens_on_loopback_only():
    assert BenchServer().host == "127.0.0.1"


@pytest.mark.django_db
def test_in_process_query_counts_leave_out_transaction_control_and_survive_a_full_log():
    from django.db import connection

    from dialogue.devtools.benchmarks.inprocess import timed_in_rollback
    from dialogue.models import Threat

    # Django keeps at most 9,000 queries in its log; a long benchmark fills it.
    connection.queries_log.extend({"sql": "SELECT 1", "time": "0"} for _ in range(9000))

    seconds, queries = timed_in_rollback(lambda: list(Threat.objects.all()[:1]))

    assert queries == 1
    assert seconds > 0
