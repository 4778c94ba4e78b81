"""Drill: PostgreSQL goes away under load and comes back.

The app runs as in production (gunicorn's sync workers, persistent database
connections, DEBUG off) against a private PostgreSQL cluster of this drill; the
shared server is never touched. Client threads keep submitting concerns through
the API (one transaction writes the concern, its history row and one outbox
notification per sector official) and reading lists and /healthz while the
cluster is

1. stopped under writes that are held half-way through their transaction,
   then kept down for a while, then started again;
2. restarted (`pg_ctl restart -m fast`) while every worker holds an idle connection.

What users and operators must see: an answer to every request, never a hang; a
success or the generic error (500/503), never a traceback; every concern a user was
told about saved, with all its rows, and nothing half-saved; and, without
restarting gunicorn, success again from the first request after the database is back.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest

from tests.faults.conftest import (
    BASE_DIR,
    Gunicorn,
    Reply,
    http,
    needs_postgres,
    wait_for,
    wait_until,
)
from tests.faults.private_seed import OFFICIALS

pytestmark = [pytest.mark.services, needs_postgres]

DB = "drill"
GUNICORN_WORKERS = 2
WRITERS = 3
PACE = 0.05  # seconds between one thread's requests
REQUEST_TIMEOUT = 30  # seconds; no answer within it counts as a hang
LEAKS = ("Traceback", "psycopg", "connection to server", "Connection refused", "site-packages")


def app_env(database_url: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "CACHE_URL", "TEST_EMAIL_FILE_PATH"}
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": database_url,
        # As in production: connections outlive requests, so a restart leaves stale ones.
        "DATABASE_CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": "",
        "CACHE_URL": "locmemcache://",
        # The drill sends far more than a person would.
        "API_THROTTLE_RATE": "100000/minute",
        "CONCERN_SUBMIT_RATE": "100000/hour",
        "PYTHONUNBUFFERED": "1",
    }


def run_python(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603  (this interpreter, our own arguments)
        [sys.executable, *args],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
    return result.stdout


class Traffic:
    """Writer and reader threads that send requests until stopped; every answer is kept."""

    def __init__(self, base_url: str, seed: dict):
        self.base_url = base_url
        self.seed = seed
        self.replies: list[Reply] = []
        self.in_flight: dict[int, tuple[str, str]] = {}  # thread id → (method, tag)
        self.lock = threading.Lock()
        self.sending = threading.Event()
        self.finished = threading.Event()
        self.numbers = itertools.count(1)
        self.reads = itertools.count(1)
        self.threads = [
            threading.Thread(target=self._loop, args=(self._write,), daemon=True)
            for _ in range(WRITERS)
        ] + [threading.Thread(target=self._loop, args=(self._read,), daemon=True)]

    def _write(self) -> tuple[str, str, dict]:
        title = f"drill-{next(self.numbers)}"
        body = {
            "sector": self.seed["sector"],
            "category": self.seed["category"],
            "title": title,
            "description": "PostgreSQL restart drill",
            "desired_support": "information",
            "marking": "AMBER+STRICT",
        }
        return "POST", title, {"json_body": body, "token": self.seed["company_token"]}

    def _read(self) -> tuple[str, str, dict]:
        path = "/healthz" if next(self.reads) % 2 else "/api/v1/concerns/"
        return "GET", path, {"token": self.seed["official_token"]}

    def _loop(self, make) -> None:
        me = threading.get_ident()
        while not self.finished.is_set():
            if not self.sending.wait(0.05):
                continue
            method, tag, options = make()
            url = f"{self.base_url}/api/v1/concerns/" if method == "POST" else self.base_url + tag
            with self.lock:
                self.in_flight[me] = (method, tag)
            reply = http(
                method,
                url,
                json_body=options.get("json_body"),
                headers={"Authorization": f"Token {options['token']}", "Accept-Language": "en"},
                timeout=REQUEST_TIMEOUT,
                tag=tag,
            )
            with self.lock:
                del self.in_flight[me]
                self.replies.append(reply)
            # A steady pace, also when every answer is an instant error.
            self.finished.wait(PACE)

    def start(self) -> None:
        self.sending.set()
        for thread in self.threads:
            thread.start()

    def pause(self) -> None:
        self.sending.clear()
        wait_for(lambda: not self.in_flight, timeout=REQUEST_TIMEOUT + 5, message="a quiet moment")

    def resume(self) -> None:
        self.sending.set()

    def stop(self) -> None:
        self.finished.set()
        for thread in self.threads:
            if thread.is_alive():
                thread.join(REQUEST_TIMEOUT + 5)

    def answers(self, *, since: float = 0.0, method: str | None = None) -> list[Reply]:
        with self.lock:
            return [
                r
                for r in self.replies
                if r.started >= since and (method is None or r.method == method)
            ]

    def writes_in_flight(self) -> set[str]:
        with self.lock:
            return {tag for method, tag in self.in_flight.values() if method == "POST"}


def at_once(url: str, count: int) -> list[Reply]:
    """`count` requests sent together, so that every gunicorn worker takes one."""
    replies: list[Reply] = []
    threads = [
        threading.Thread(target=lambda: replies.append(http("GET", url))) for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies


def waiting_on_locks(cluster) -> int:
    with cluster.connect(DB, autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            [DB],
        ).fetchone()[0]


def describe(replies: list[Reply]) -> str:
    return "\n".join(
        f"{r.method} {r.tag} → {r.status or r.error} in {r.seconds:.1f}s {r.text[:120]!r}"
        for r in replies[:20]
    )


def summary(replies: list[Reply]) -> str:
    counts = Counter((r.method, r.tag if r.method == "GET" else "", r.status) for r in replies)
    return "\n".join(f"{count} × {key}" for key, count in sorted(counts.items(), key=str))


def is_clean_error(reply: Reply) -> bool:
    """The generic error a user may see: a 500/503 page or JSON, nothing about the cause."""
    if reply.status not in (500, 503):
        return False
    if any(leak in reply.text for leak in LEAKS):
        return False
    if "json" in (reply.headers.get("Content-Type", "") if reply.headers else ""):
        return isinstance(reply.json(), dict)
    return "<html" in reply.text.lower()


def test_postgresql_restarts_give_clean_errors_and_the_app_recovers_by_itself(
    private_postgres, tmp_path
):
    # given: a migrated private database, people, and the app in front of it
    private_postgres.createdb(DB)
    env = app_env(private_postgres.url(DB))
    run_python(env, "manage.py", "migrate", "--noinput", "-v", "0")
    seed = json.loads(run_python(env, "-m", "tests.faults.private_seed"))
    app = Gunicorn(tmp_path, env, workers=GUNICORN_WORKERS).start()
    traffic = Traffic(app.url, seed)
    try:
        traffic.start()
        wait_for(
            lambda: sum(r.status == 201 for r in traffic.answers(method="POST")) >= 5,
            message="the first submissions",
        )

        # when: writes are held half-way (concern written, its history row waits on a
        # lock), and the cluster stops under them
        locker = private_postgres.connect(DB)
        locker.execute("LOCK TABLE dialogue_historicalconcern IN EXCLUSIVE MODE")
        wait_for(
            lambda: waiting_on_locks(private_postgres) >= GUNICORN_WORKERS,
            message="a submission held in every worker",
        )
        held = traffic.writes_in_flight()
        stopped_at = time.monotonic()
        private_postgres.stop("fast")
        locker.close()

        # ... and stays down while requests keep coming, until /healthz has told
        wait_until(
            lambda: (
                len(traffic.answers(since=stopped_at)) >= 6
                and any(
                    r.tag == "/healthz" and r.status == 503
                    for r in traffic.answers(since=stopped_at)
                )
            ),
            message="answers while the database is down",
            details=lambda: summary(traffic.answers(since=stopped_at)),
        )
        down_until = time.monotonic()
        private_postgres.start()
        back_at = time.monotonic()
        wait_for(
            lambda: sum(r.status == 201 for r in traffic.answers(since=back_at)) >= 5,
            message="submissions after the database is back",
        )

        # when: a quick restart while every worker holds an idle persistent connection
        traffic.pause()
        before_warm_up = len(app.access_lines())
        wait_for(
            lambda: (
                all(r.status == 200 for r in at_once(f"{app.url}/healthz", 2 * GUNICORN_WORKERS))
                and len({pid for pid, *_ in app.access_lines()[before_warm_up:]})
                == GUNICORN_WORKERS
            ),
            message="every gunicorn worker connected",
        )
        private_postgres.restart()
        after_restart = len(app.access_lines())
        restarted_at = time.monotonic()
        traffic.resume()
        wait_for(
            lambda: (
                len({pid for pid, *_ in app.access_lines()[after_restart:]}) == GUNICORN_WORKERS
                and sum(r.status == 201 for r in traffic.answers(since=restarted_at)) >= 5
            ),
            message="every worker answering after the restart",
        )
        traffic.pause()
    finally:
        traffic.stop()
        app.stop()

    # then: every request got an answer, in time, and errors were the generic ones
    replies = traffic.answers()
    unanswered = [r for r in replies if r.status is None]
    assert not unanswered, f"requests without an answer (hang or reset):\n{describe(unanswered)}"
    unclean = [r for r in replies if r.status not in (200, 201) and not is_clean_error(r)]
    assert not unclean, (
        f"answers that are neither a success nor the generic error:\n{describe(unclean)}"
    )

    # ... the writes held in the transaction failed cleanly, soon after the stop
    held_replies = [r for r in replies if r.method == "POST" and r.tag in held]
    assert len(held_replies) == len(held) >= 1
    assert all(r.started + r.seconds - stopped_at < 15 for r in held_replies)
    assert any(is_clean_error(r) for r in held_replies), describe(held_replies)

    # ... while it was down, requests failed (the drill really broke something)
    during = [r for r in replies if stopped_at <= r.started < down_until]
    assert any(is_clean_error(r) for r in during), describe(during)

    # ... once it was back, every request succeeded, from the first one in each worker
    after = [r for r in replies if r.started >= back_at]
    failed_after = [r for r in after if r.status not in (200, 201)]
    assert not failed_after, f"failures after PostgreSQL was back:\n{describe(failed_after)}"
    assert all(status < 400 for *_, status in app.access_lines()[after_restart:])

    # ... every concern a user was told about is saved, each with all its rows
    succeeded = {r.tag for r in replies if r.method == "POST" and r.status == 201}
    failed = {r.tag for r in replies if r.method == "POST" and r.status != 201}
    with private_postgres.connect(DB, autocommit=True) as conn:
        rows = conn.execute(
            """
            SELECT c.title,
                   (SELECT count(*) FROM dialogue_notification n WHERE n.concern_id = c.id),
                   (SELECT count(*) FROM dialogue_historicalconcern h WHERE h.id = c.id)
            FROM dialogue_concern c
            """
        ).fetchall()
    saved = [title for title, _, _ in rows]
    assert len(saved) == len(set(saved)), "a submission was saved twice"
    assert succeeded <= set(saved), f"told saved, but missing: {sorted(succeeded - set(saved))}"
    half_saved = [(t, n, h) for t, n, h in rows if (n, h) != (OFFICIALS, 1)]
    assert not half_saved, (
        f"concerns without all their rows (title, notifications, history): {half_saved}"
    )
    # A failed write normally leaves nothing. One whose COMMIT reached the server just as
    # it went down may exist (complete, as checked above): at most one per write in flight.
    assert len(set(saved) & failed) <= len(held), sorted(set(saved) & failed)
