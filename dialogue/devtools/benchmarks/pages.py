"""`workspace-pages`: workspace pages over HTTP, signed in, against their own SQL.

Goal (issue 15): at `generate_bench_data --scale 1` on PostgreSQL, signed in as a
sector official, each page below answers within 2x its reference (median
latency) with a p95 of at most 300 ms: the dashboard, the threat register's
first page and a deep page, a session's detail, the concern inbox and a search
for 供給.

The reference of a page is the page's own SQL and its own bytes: the benchmark
first requests the page in this process and records every statement it runs
(as executed, parameters inlined) and the HTML it returns; the reference view
(`/bench/pages/<name>/`, bench URLconf only) authenticates the same session,
runs those statements through a raw cursor, reads every row, and answers those
bytes. Before timing (`outcomes`, and again in every run), the page served by
gunicorn and the reference must answer the same bytes (the CSRF token, which differs per response, taken out), so the
recording is what a user gets. What a page costs beyond its reference is the
ORM, forms, template rendering and middleware around the same database work.

The deep page is page `DEEP_PAGE` of the threat register, reached as a user reaches it
past the first pages: by the Next link's cursor (`deep_threats_url`).
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dialogue.devtools.benchmarks.loadgen import Sample, fetch, load_path, summarize
from dialogue.devtools.benchmarks.registry import Benchmark, BenchmarkError, Goal, Result, register
from dialogue.devtools.benchmarks.same_result import require_same
from dialogue.devtools.benchmarks.views import PAGE_SPEC_DIR, page_spec_path
from dialogue.enums import Role
from dialogue.models import DialogueSession, Threat, User
from dialogue.views.lists import PAGE_SIZE, cursor_of

DEEP_PAGE = 1000
SEARCH_QUERY = "供給"
OFFICIAL_SECTOR = "semiconductors"
MIN_THREATS = 10_000
MAX_RATIO = 2.0  # page median latency / reference median latency
MAX_P95_MS = 300.0
REQUESTS_PER_PAGE = 60  # per side and round, at most (--requests lowers it)
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
# Values that differ from one response to the next: the CSRF token in forms.
VOLATILE = [
    (re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"'), b'name="csrfmiddlewaretoken"'),
]


def deep_threats_url(reader: User, page: int = DEEP_PAGE) -> str:
    """Page `page` of the register in its default order (most recently updated first),
    by the cursor of the last row of the page before, as the Next link carries it. With
    fewer rows (test data), the plain page number, which shows the last page."""
    before = (page - 1) * PAGE_SIZE
    rows = list(
        Threat.objects.visible_to(reader)
        .order_by("-updated_at", "-pk")
        .values_list("updated_at", "pk")[before - 1 : before]
    )
    if not rows:
        return f"/threats/?page={page}"
    return f"/threats/?page={page}&after={cursor_of(list(rows[0]))}"


@dataclass
class Page:
    name: str
    path: str


def normalized(html: bytes) -> bytes:
    for pattern, replacement in VOLATILE:
        html = pattern.sub(replacement, html)
    return html


def official_reader() -> User | None:
    return (
        User.objects.filter(role=Role.OFFICIAL, is_active=True, sectors__code=OFFICIAL_SECTOR)
        .order_by("pk")
        .first()
    )


def signed_in_session(user: User) -> str:
    """A session row signed in as `user`, as the sign-in form leaves it; its key."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def drop_session(key: str) -> None:
    from importlib import import_module

    import_module(settings.SESSION_ENGINE).SessionStore(session_key=key).delete()


@register
class WorkspacePagesBenchmark(Benchmark):
    name = "workspace-pages"
    description = (
        "workspace pages over HTTP as a sector official (dashboard, threat register page 1 "
        "and a deep page, session detail, concern inbox, search) vs their own SQL through a "
        "raw cursor plus the same bytes"
    )
    label = "workspace pages (sector official) vs their SQL + same bytes, over HTTP"
    needs_server = True
    default_rounds = 3
    deep_page = DEEP_PAGE

    def check(self) -> None:
        threats = Threat.objects.count()
        if threats < MIN_THREATS and not self.options.allow_small:
            raise BenchmarkError(
                f"workspace-pages needs the bench data set: the database has {threats:,} "
                f"threats, fewer than {MIN_THREATS:,}. Run `manage.py generate_bench_data "
                "--scale 1` on this database first (or pass --allow-small to measure anyway)."
            )
        self.reader = official_reader()
        if self.reader is None:
            raise BenchmarkError("no semiconductor official; run generate_bench_data first.")
        session = DialogueSession.objects.visible_to(self.reader).order_by("-pk").first()
        if session is None:
            raise BenchmarkError("the official sees no dialogue session; no session detail.")
        self.pages = [
            Page("dashboard", "/"),
            Page("threats-first", "/threats/"),
            Page("threats-deep", deep_threats_url(self.reader, self.deep_page)),
            Page("session-detail", f"/sessions/{session.pk}/"),
            Page("concern-inbox", "/concerns/"),
            Page("search", f"/search/?q={quote(SEARCH_QUERY)}"),
        ]
        self.threats = threats

    def outcomes(self, server) -> dict[str, object]:
        """Each page's bytes as gunicorn serves it, and its reference's (CSRF token out)."""
        with self._signed_in() as (headers, _):
            return self._bodies(server, headers)

    def run(self, server) -> Result:
        with self._signed_in() as (headers, statements):
            bodies = self._bodies(server, headers)
            self.same_bytes = require_same(self.name, bodies)
            self.say(f"  same bytes: every page and its reference ({len(self.pages)} pages)")
            sizes = {name: len(body) for name, body in bodies["page"].items()}
            return self._measure(server, headers, statements, sizes)

    @contextlib.contextmanager
    def _signed_in(self):
        """A session of the official and the pages recorded for the reference view, for
        the duration; both are removed afterwards."""
        key = signed_in_session(self.reader)
        try:
            statements = self._record(key)
            yield (
                {
                    "Cookie": f"{settings.SESSION_COOKIE_NAME}={key}",
                    "Accept-Language": "ja",
                },
                statements,
            )
        finally:
            for page in self.pages:
                page_spec_path(page.name).unlink(missing_ok=True)
            drop_session(key)

    # -- recording and checking -----------------------------------------------
    def _record(self, key: str) -> dict[str, int]:
        """Each page in this process: its statements and bytes, for the reference view."""
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="ja")
        client.cookies[settings.SESSION_COOKIE_NAME] = key
        PAGE_SPEC_DIR.mkdir(parents=True, exist_ok=True)
        counts = {}
        for page in self.pages:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page.path)
            if response.status_code != 200:
                raise BenchmarkError(f"GET {page.path} answered {response.status_code}")
            statements = self._page_statements([query["sql"] for query in captured])
            page_spec_path(page.name).write_text(
                json.dumps({"statements": statements, "html": response.content.decode()})
            )
            counts[page.name] = len(statements)
        return counts

    def _page_statements(self, executed: list[str]) -> list[str]:
        """The page's own statements: without the session and user lookups (the reference
        makes them itself, through the same middleware) and transaction control."""
        user_lookup = f'WHERE "dialogue_user"."id" = {self.reader.pk} LIMIT 21'
        statements, skipped_user = [], False
        for sql in executed:
            if sql.lstrip().upper().startswith(TRANSACTION_CONTROL) or '"django_session"' in sql:
                continue
            if not skipped_user and sql.rstrip().endswith(user_lookup):
                skipped_user = True
                continue
            statements.append(sql)
        return statements

    def _bodies(self, server, headers: dict) -> dict[str, object]:
        bodies: dict[str, dict[str, bytes]] = {"page": {}, "reference": {}}
        for page in self.pages:
            for side, path in (("page", page.path), ("reference", self._reference(page))):
                status, body = fetch(server.host, server.port, path, headers)
                if status != 200:
                    raise BenchmarkError(f"GET {path} answered {status}: {body[:300]!r}")
                bodies[side][page.name] = normalized(body)
        return bodies

    @staticmethod
    def _reference(page: Page) -> str:
        return f"/bench/pages/{page.name}/"

    # -- measuring --------------------------------------------------------------
    def _measure(self, server, headers, statements, sizes) -> Result:
        options = self.options
        requests = min(options.requests, REQUESTS_PER_PAGE)
        warmup = min(options.warmup, 5)
        sides = {}
        for page in self.pages:
            sides[page.name] = page.path
            sides[f"{page.name}-reference"] = self._reference(page)
        for path in sides.values():
            self._load(server, path, headers, warmup)

        rounds: dict[str, list[Sample]] = {side: [] for side in sides}
        for number in range(self.rounds):
            for page in self.pages:
                pair = [page.name, f"{page.name}-reference"]
                # The first side alternates across rounds and across runs.
                turn = number + getattr(self, "run_index", 0)
                for side in pair if turn % 2 == 0 else reversed(pair):
                    rounds[side].append(self._load(server, sides[side], headers, requests))
            self.say(
                f"  round {number + 1}/{self.rounds}: "
                + ", ".join(
                    f"{page.name} {_p50(rounds[page.name][-1]):,.0f}/"
                    f"{_p50(rounds[f'{page.name}-reference'][-1]):,.0f} ms"
                    for page in self.pages
                )
            )

        figures = {side: summarize(samples) for side, samples in rounds.items()}
        goals = []
        for page in self.pages:
            ours, reference = figures[page.name], figures[f"{page.name}-reference"]
            ours["queries"] = reference["queries"] = statements[page.name]
            goals += [
                Goal(
                    f"{page.name}: p50 / reference p50",
                    ours["p50_ms"] / reference["p50_ms"],
                    "<=",
                    MAX_RATIO,
                    ours=f"{page.name}.p50_ms",
                    reference=f"{page.name}-reference.p50_ms",
                ),
                Goal(
                    f"{page.name}: p95",
                    ours["p95_ms"],
                    "<=",
                    MAX_P95_MS,
                    ours=f"{page.name}.p95_ms",
                    unit="ms",
                ),
            ]
        return Result(
            name=self.name,
            description=self.description,
            figures=figures,
            goals=goals,
            notes={
                "threats_in_database": self.threats,
                "reader": self.reader.username,
                "paths": {page.name: page.path for page in self.pages},
                "response_bytes": sizes,
                "same_result": self.same_bytes,
                "page_statements": statements,
            },
        )

    def _load(self, server, path: str, headers: dict, requests: int) -> Sample:
        return load_path(
            server.host,
            server.port,
            path,
            headers=headers,
            requests=requests,
            concurrency=self.options.concurrency,
            max_seconds=self.options.max_seconds,
        )


def _p50(sample: Sample) -> float:
    return summarize([sample])["p50_ms"]
