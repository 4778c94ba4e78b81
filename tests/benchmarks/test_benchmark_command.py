"""`manage.py benchmark` and its reference endpoint, on factory data (no gunicorn here)."""

import http.server
import io
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token

from dialogue.benchmarks.loadgen import LoadError, percentile, run_load
from dialogue.benchmarks.registry import Goal
from dialogue.benchmarks.server import BenchServer
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
    response = client.get(path, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
@pytest.mark.urls("dialogue.benchmarks.urls")
def test_reference_endpoint_lists_the_same_threats_as_the_api(client, official_with_threats):
    token = Token.objects.create(user=official_with_threats)

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
    api_next = client.get(api["next"], HTTP_AUTHORIZATION=f"Token {token.key}").json()
    reference_next = _get(client, f"{REFERENCE}?cursor={reference['next']}", token)
    assert [row["id"] for row in reference_next["results"]] == [
        row["id"] for row in api_next["results"]
    ]
    assert reference_next["next"] is None
    assert len(api_ids) + len(api_next["results"]) < 90  # some threats are hidden from the official


@pytest.mark.django_db
@pytest.mark.urls("dialogue.benchmarks.urls")
def test_reference_endpoint_requires_a_token(client, official_with_threats):
    assert client.get(REFERENCE).status_code == 401
    assert client.get(REFERENCE, HTTP_AUTHORIZATION="Token nope").status_code == 401


@pytest.mark.django_db
def test_reference_endpoint_is_not_in_the_production_urlconf(client, official_with_threats):
    token = Token.objects.create(user=official_with_threats)
    response = client.get(REFERENCE, HTTP_AUTHORIZATION=f"Token {token.key}")
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
