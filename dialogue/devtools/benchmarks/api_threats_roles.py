"""`api-roles`: the threats list API for a sector official and a company user.

Goal (issue 15): at `generate_bench_data --scale 1` on PostgreSQL, with gunicorn
running 4 sync workers and a Redis cache behind the throttle (as production),
8 keep-alive connections at once, GET /api/v1/threats/?page_size=50 reaches at
least 40% of the requests per second of the `.values()` + keyset reference over
the same rows, with p99 latency no worse than 2.5x the reference's (moonshot:
50% and 2x), for each of the two roles whose visibility costs most: a sector
official (AMBER of their sectors, RED naming them) and a company user (GREEN
of their organization's sectors, AMBER of their organization).

Both endpoints must list the same 50 threats in the same order, with the same
value in every field both return, before anything is timed (`outcomes`, and
again at the start of every run). The benchmark starts its own server (4 workers), whatever the
command's `--workers`, and removes the tokens it issued when it ends.
"""

from __future__ import annotations

import contextlib
import datetime
import json

from dialogue.devtools.benchmarks.loadgen import Sample, fetch, load_path, median, summarize
from dialogue.devtools.benchmarks.registry import Benchmark, BenchmarkError, Goal, Result, register
from dialogue.devtools.benchmarks.same_result import require_same
from dialogue.devtools.benchmarks.server import BenchServer, ServerOptions
from dialogue.enums import Role
from dialogue.models import ApiToken, Threat, User
from dialogue.services.tokens import api_token_issue

API_PATH = "/api/v1/threats/?page_size=50"
REFERENCE_PATH = "/bench/threats-reference/"
PAGE_SIZE = 50
MIN_THREATS = 10_000
WORKERS = 4
CONCURRENCY = 8
MIN_RPS_RATIO = 0.40
MAX_P99_RATIO = 2.5
MOONSHOT = {"rps": 0.5, "p99": 2.0}
OFFICIAL_SECTOR = "semiconductors"
ISSUED_AS = "benchmark api-roles"  # the name of the tokens it issues


def role_users() -> dict[str, User | None]:
    """The readers: the first active semiconductor official and the first active company
    user of an organization (ordered by id, so every run signs in as the same people)."""
    active = User.objects.filter(is_active=True).order_by("pk")
    return {
        "official": active.filter(role=Role.OFFICIAL, sectors__code=OFFICIAL_SECTOR).first(),
        "company": active.filter(role=Role.COMPANY, organization__isnull=False).first(),
    }


@register
class ApiRolesBenchmark(Benchmark):
    name = "api-roles"
    description = (
        "GET /api/v1/threats/?page_size=50 vs the .values() + keyset reference, as a sector "
        f"official and as a company user; {WORKERS} gunicorn workers, concurrency {CONCURRENCY}, "
        "Redis cache"
    )
    label = "threats list API vs `.values()` + keyset, official and company user, over HTTP"
    needs_server = True
    default_rounds = 3

    def check(self) -> None:
        threats = Threat.objects.count()
        if threats < MIN_THREATS and not self.options.allow_small:
            raise BenchmarkError(
                f"api-roles needs the bench data set: the database has {threats:,} threats, "
                f"fewer than {MIN_THREATS:,}. Run `manage.py generate_bench_data --scale 1` "
                "on this database first (or pass --allow-small to measure anyway)."
            )
        self.users = role_users()
        missing = [role for role, user in self.users.items() if user is None]
        if missing:
            raise BenchmarkError(
                f"api-roles signs in as a {' and a '.join(missing)} user; run "
                "`manage.py generate_bench_data` on this database first."
            )
        self.threats = threats

    def outcomes(self, server) -> dict[str, object]:
        """Each reader's first page from both endpoints, row by row, in the fields both
        return (the API's names), on a server like the one measured."""
        with self._headers() as headers, BenchServer(ServerOptions(workers=WORKERS)) as own:
            return self._first_pages(own, headers)

    def run(self, server) -> Result:
        # Its own server: the command's shared one has --workers (2 by default) workers.
        with self._headers() as headers, BenchServer(ServerOptions(workers=WORKERS)) as own:
            self.say(f"  {own.description}, cache {_cache_backend()}")
            self.same_rows = require_same(self.name, self._first_pages(own, headers))
            return self._measure(own, headers)

    @contextlib.contextmanager
    def _headers(self):
        """A token per reader for the duration; the tokens are deleted afterwards."""
        tokens: list[int] = []
        try:
            headers = {}
            for role, user in self.users.items():
                token, key = api_token_issue(user=user, name=ISSUED_AS)
                tokens.append(token.pk)
                headers[role] = {"Authorization": f"Token {key}", "Accept": "application/json"}
            yield headers
        finally:
            ApiToken.objects.filter(pk__in=tokens).delete()

    def _measure(self, server, headers: dict[str, dict]) -> Result:
        sides = {
            f"{role}-{side}": (role, path)
            for role in self.users
            for side, path in (("api", API_PATH), ("reference", REFERENCE_PATH))
        }
        sizes = self.sizes

        options = self.options
        self.say(f"  warm-up: {options.warmup} requests per endpoint")
        for role, path in sides.values():
            self._load(server, path, headers[role], options.warmup)

        rounds: dict[str, list[Sample]] = {side: [] for side in sides}
        for number in range(self.rounds):
            for role in self.users:
                pair = [f"{role}-api", f"{role}-reference"]
                # The first side alternates across rounds and across runs.
                turn = number + getattr(self, "run_index", 0)
                for side in pair if turn % 2 == 0 else reversed(pair):
                    rounds[side].append(
                        self._load(
                            server,
                            API_PATH if side.endswith("api") else REFERENCE_PATH,
                            headers[role],
                            options.requests,
                        )
                    )
            self.say(
                f"  round {number + 1}/{self.rounds}: "
                + ", ".join(f"{side} {rounds[side][-1].rps:,.1f} req/s" for side in sides)
            )

        figures = {side: summarize(samples) for side, samples in rounds.items()}
        goals, per_round = [], {}
        for role in self.users:
            api, reference = figures[f"{role}-api"], figures[f"{role}-reference"]
            per_round[role] = median(
                [
                    a.rps / r.rps
                    for a, r in zip(rounds[f"{role}-api"], rounds[f"{role}-reference"], strict=True)
                ]
            )
            goals += [
                Goal(
                    f"{role}: api rps / reference rps",
                    api["rps"] / reference["rps"],
                    ">=",
                    MIN_RPS_RATIO,
                    ours=f"{role}-api.rps",
                    reference=f"{role}-reference.rps",
                ),
                Goal(
                    f"{role}: api p99 / reference p99",
                    api["p99_ms"] / reference["p99_ms"],
                    "<=",
                    MAX_P99_RATIO,
                    ours=f"{role}-api.p99_ms",
                    reference=f"{role}-reference.p99_ms",
                ),
            ]
        for role, ratio in per_round.items():
            self.say(f"  {role}: api/reference rps, median of the per-round ratios: {ratio:.2f}")
        return Result(
            name=self.name,
            description=self.description,
            figures=figures,
            goals=goals,
            notes={
                "threats_in_database": self.threats,
                "users": {role: user.username for role, user in self.users.items()},
                "server": f"{WORKERS} workers, concurrency {CONCURRENCY}, cache {_cache_backend()}",
                "response_bytes": sizes,
                "same_result": self.same_rows,
                "moonshot": MOONSHOT,
                "rounds_rps": {
                    side: [round(sample.rps, 1) for sample in samples]
                    for side, samples in rounds.items()
                },
                "median_round_rps_ratio": per_round,
            },
        )

    def _load(self, server, path: str, headers: dict, requests: int) -> Sample:
        return load_path(
            server.host,
            server.port,
            path,
            headers=headers,
            requests=requests,
            concurrency=CONCURRENCY,
            max_seconds=self.options.max_seconds,
        )

    def _first_pages(self, server, headers: dict[str, dict]) -> dict[str, object]:
        pages: dict[str, dict] = {"api": {}, "reference": {}}
        self.sizes: dict[str, dict[str, int]] = {role: {} for role in self.users}
        for role in self.users:
            for side, path, normalize in (
                ("api", API_PATH, api_row),
                ("reference", REFERENCE_PATH, reference_row),
            ):
                status, body = fetch(server.host, server.port, path, headers[role])
                if status != 200:
                    raise BenchmarkError(
                        f"GET {path} as the {role} answered {status}: {body[:300]!r}"
                    )
                pages[side][role] = [normalize(row) for row in json.loads(body)["results"]]
                self.sizes[role][side] = len(body)
            expected = min(PAGE_SIZE, Threat.objects.visible_to(self.users[role]).count())
            if len(pages["api"][role]) != expected:
                raise BenchmarkError(
                    f"As the {role}, GET {API_PATH} listed {len(pages['api'][role])} threats, "
                    f"not {expected}."
                )
        return pages


# The fields both endpoints return: (the API's name, the reference's name).
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


def _cache_backend() -> str:
    """The bench server's cache, as its settings will choose it."""
    from config.settings import bench  # the server's settings, not this command's

    return bench.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
