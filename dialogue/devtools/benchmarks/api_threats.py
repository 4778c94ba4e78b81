"""`api-threats`: the threats list API against a minimal `.values()` + keyset endpoint.

Goal (API issue): at `generate_bench_data --scale 1` on PostgreSQL with gunicorn
on 127.0.0.1, GET /api/v1/threats/?page_size=50 (50 rows with sector, threat
code and organization names) reaches at least 30% of the requests per second
of the reference endpoint over the same rows, with p99 latency no worse than
3x the reference's, measured side by side in one run.
"""

from __future__ import annotations

import datetime
import json

from dialogue.devtools.benchmarks.inprocess import side_order
from dialogue.devtools.benchmarks.loadgen import Sample, fetch, median, percentile, run_load
from dialogue.devtools.benchmarks.registry import Benchmark, BenchmarkError, Goal, Result, register
from dialogue.models import Threat, User
from dialogue.services.tokens import api_token_issue

API_PATH = "/api/v1/threats/?page_size=50"
REFERENCE_PATH = "/bench/threats-reference/"
BENCH_USER = "bench-secretariat"
MIN_THREATS = 10_000
MIN_RPS_RATIO = 0.30
MAX_P99_RATIO = 3.0


@register
class ApiThreatsBenchmark(Benchmark):
    name = "api-threats"
    description = (
        "GET /api/v1/threats/?page_size=50 vs a .values() + keyset reference over the same "
        "50 rows, as the bench secretariat user (token)"
    )
    label = "threats list API vs `.values()` + keyset, over HTTP"
    needs_server = True

    def check(self) -> None:
        threats = Threat.objects.count()
        if threats < MIN_THREATS and not self.options.allow_small:
            raise BenchmarkError(
                f"api-threats needs the bench data set: the database has {threats:,} threats, "
                f"fewer than {MIN_THREATS:,}. Run `manage.py generate_bench_data --scale 1` "
                "on this database first (or pass --allow-small to measure anyway)."
            )
        self.user = User.objects.filter(username=BENCH_USER, is_active=True).first()
        if self.user is None:
            raise BenchmarkError(
                f"api-threats signs in as {BENCH_USER!r}, which `manage.py "
                "generate_bench_data` creates; it is missing from this database."
            )
        self.threats = threats

    def _headers(self) -> dict[str, str]:
        if not getattr(self, "headers", None):
            _, key = api_token_issue(user=self.user, name="benchmark")
            self.headers = {"Authorization": f"Token {key}", "Accept": "application/json"}
        return self.headers

    def outcomes(self, server) -> dict[str, object]:
        """Both first pages, row by row, in the fields both return (the API's names)."""
        pages, self.sizes = {}, {}
        for side, path, normalize in (
            ("api", API_PATH, api_row),
            ("reference", REFERENCE_PATH, reference_row),
        ):
            status, body = fetch(server.host, server.port, path, self._headers())
            if status != 200:
                raise BenchmarkError(f"GET {path} answered {status}: {body[:300]!r}")
            pages[side] = [normalize(row) for row in json.loads(body)["results"]]
            self.sizes[side] = len(body)
        if len(pages["api"]) != 50:
            raise BenchmarkError(f"GET {API_PATH} listed {len(pages['api'])} threats, not 50.")
        return pages

    def run(self, server) -> Result:
        headers = self._headers()
        sides = {"api": API_PATH, "reference": REFERENCE_PATH}
        sizes = self.sizes

        options = self.options
        self.say(f"  warm-up: {options.warmup} requests per endpoint")
        for path in sides.values():
            self._load(server, path, headers, options.warmup)

        rounds: dict[str, list[Sample]] = {side: [] for side in sides}
        for number in range(self.rounds):
            order = side_order(list(sides), number + self.run_index)
            for side in order:
                rounds[side].append(self._load(server, sides[side], headers, options.requests))
            self.say(
                f"  round {number + 1}/{self.rounds} ({' → '.join(order)}): "
                + ", ".join(f"{side} {rounds[side][-1].rps:,.1f} req/s" for side in sides)
            )

        figures = {side: summarize(samples) for side, samples in rounds.items()}
        per_round = median(
            [a.rps / r.rps for a, r in zip(rounds["api"], rounds["reference"], strict=True)]
        )
        self.say(f"  api/reference rps, median of the per-round ratios: {per_round:.2f}")
        api, reference = figures["api"], figures["reference"]
        return Result(
            name=self.name,
            description=self.description,
            figures=figures,
            goals=[
                Goal(
                    "api rps / reference rps",
                    api["rps"] / reference["rps"],
                    ">=",
                    MIN_RPS_RATIO,
                    ours="api.rps",
                    reference="reference.rps",
                ),
                Goal(
                    "api p99 / reference p99",
                    api["p99_ms"] / reference["p99_ms"],
                    "<=",
                    MAX_P99_RATIO,
                    ours="api.p99_ms",
                    reference="reference.p99_ms",
                ),
            ],
            notes={
                "threats_in_database": self.threats,
                "first_side_per_round": [
                    side_order(list(sides), number + self.run_index)[0]
                    for number in range(self.rounds)
                ],
                "response_bytes": sizes,
                "rounds_rps": {
                    side: [round(sample.rps, 1) for sample in samples]
                    for side, samples in rounds.items()
                },
                # Less sensitive to load from other processes than the ratio of the medians.
                "median_round_rps_ratio": per_round,
            },
        )

    def _load(self, server, path: str, headers: dict, requests: int) -> Sample:
        sample = run_load(
            server.host,
            server.port,
            path,
            headers=headers,
            requests=requests,
            concurrency=self.options.concurrency,
            max_seconds=self.options.max_seconds,
        )
        if sample.errors:
            raise BenchmarkError(
                f"{sample.errors} of the requests to {path} failed (first: {sample.first_error})"
            )
        if sample.requests == 0:
            raise BenchmarkError(f"no request to {path} completed in {self.options.max_seconds} s")
        return sample


# The fields both endpoints return, as (API name, reference name).
SHARED_FIELDS = (
    ("id", "id"),
    ("title", "title"),
    ("description", "description"),
    ("sector", "sector_id"),
    ("sector_code", "sector__code"),
    ("sector_name", "sector_name"),
    ("category", "category__code"),
    ("category_name", "category_name"),
    ("likelihood", "likelihood"),
    ("impact", "impact"),
    ("severity", "severity"),
    ("status", "status"),
    ("marking", "marking"),
    ("created_at", "created_at"),
    ("updated_at", "updated_at"),
    ("version", "version"),
)
DATETIMES = {"created_at", "updated_at"}


def _value(name: str, value):
    # DRF writes the local time with microseconds, Django's JSON encoder (the reference)
    # UTC with milliseconds: the same instant, compared to the millisecond.
    if name in DATETIMES and isinstance(value, str):
        instant = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return instant.replace(microsecond=instant.microsecond // 1000 * 1000)
    return value


def api_row(row: dict) -> tuple:
    return tuple(_value(api, row.get(api)) for api, _ in SHARED_FIELDS)


def reference_row(row: dict) -> tuple:
    return tuple(_value(api, row.get(reference)) for api, reference in SHARED_FIELDS)


def summarize(samples: list[Sample]) -> dict[str, float]:
    """Requests/s: median over rounds; latency percentiles over every request of every round."""
    latencies = [latency for sample in samples for latency in sample.latencies]
    return {
        "rps": median([sample.rps for sample in samples]),
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "requests": len(latencies),
    }
