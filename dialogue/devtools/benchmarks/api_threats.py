"""`api-threats`: the threats list API against a minimal `.values()` + keyset endpoint.

Goal (API issue): at `generate_bench_data --scale 1` on PostgreSQL with gunicorn
on 127.0.0.1, GET /api/v1/threats/?page_size=50 (50 rows with sector, threat
code and organization names) reaches at least 30% of the requests per second
of the reference endpoint over the same rows, with p99 latency no worse than
3x the reference's, measured side by side in one run.
"""

from __future__ import annotations

import json

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

    def run(self, server) -> Result:
        _, key = api_token_issue(user=self.user, name="benchmark")
        headers = {"Authorization": f"Token {key}", "Accept": "application/json"}
        sides = {"api": API_PATH, "reference": REFERENCE_PATH}
        sizes = self._check_same_rows(server, headers)

        options = self.options
        self.say(f"  warm-up: {options.warmup} requests per endpoint")
        for path in sides.values():
            self._load(server, path, headers, options.warmup)

        rounds: dict[str, list[Sample]] = {side: [] for side in sides}
        for number in range(self.rounds):
            order = list(sides) if number % 2 == 0 else list(reversed(sides))
            for side in order:
                rounds[side].append(self._load(server, sides[side], headers, options.requests))
            self.say(
                f"  round {number + 1}/{self.rounds}: "
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

    def _check_same_rows(self, server, headers: dict) -> dict[str, int]:
        """Both endpoints must list the same 50 threats, in the same order."""
        ids, sizes = {}, {}
        for side, path in (("api", API_PATH), ("reference", REFERENCE_PATH)):
            status, body = fetch(server.host, server.port, path, headers)
            if status != 200:
                raise BenchmarkError(f"GET {path} answered {status}: {body[:300]!r}")
            page = json.loads(body)["results"]
            ids[side] = [row["id"] for row in page]
            sizes[side] = len(body)
        if ids["api"] != ids["reference"] or len(ids["api"]) != 50:
            raise BenchmarkError(
                "The API and the reference endpoint do not list the same 50 threats "
                f"(api: {len(ids['api'])} rows from {ids['api'][:3]}, "
                f"reference: {len(ids['reference'])} rows from {ids['reference'][:3]})."
            )
        self.say(f"  same rows: both first pages list the same 50 threat ids ({ids['api'][0]} …)")
        return sizes


def summarize(samples: list[Sample]) -> dict[str, float]:
    """Requests/s: median over rounds; latency percentiles over every request of every round."""
    latencies = [latency for sample in samples for latency in sample.latencies]
    return {
        "rps": median([sample.rps for sample in samples]),
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "requests": len(latencies),
    }
