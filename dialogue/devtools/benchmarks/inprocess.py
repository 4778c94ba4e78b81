"""Helpers for benchmarks that run in this process against the database (no HTTP)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext

from dialogue.devtools.benchmarks.loadgen import median

# Transaction control the rollback wrapper itself sends; not counted as queries.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


class _Rollback(Exception):
    pass


def timed_in_rollback(work: Callable[[], object]) -> tuple[float, int]:
    """Run `work` in a transaction that is rolled back: (seconds, queries). Every run
    starts from the same data, and the benchmark leaves the database as it found it.
    The query count leaves out BEGIN, ROLLBACK and savepoints."""
    # The query log is a deque of at most 9,000 entries; once full, the capture below
    # (which counts by its length) would see no new queries.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        try:
            with transaction.atomic():
                work()
                elapsed = time.perf_counter() - started
                raise _Rollback
        except _Rollback:
            pass
    statements = [
        query
        for query in queries.captured_queries
        if not query["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
    ]
    return elapsed, len(statements)


def side_by_side(sides: dict[str, Callable[[], object]], rounds: int, say) -> dict[str, dict]:
    """Alternate the sides round by round; report the median time and the query count."""
    times: dict[str, list[float]] = {name: [] for name in sides}
    queries: dict[str, int] = {}
    for number in range(rounds):
        order = list(sides) if number % 2 == 0 else list(reversed(sides))
        for name in order:
            seconds, count = timed_in_rollback(sides[name])
            times[name].append(seconds)
            queries[name] = count
        say(
            f"  round {number + 1}/{rounds}: "
            + ", ".join(f"{name} {times[name][-1] * 1000:,.0f} ms" for name in sides)
        )
    return {
        name: {"median_ms": median(values) * 1000, "queries": queries[name]}
        for name, values in times.items()
    }
