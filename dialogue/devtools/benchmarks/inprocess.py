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


def rolled_back(work: Callable[[], object]) -> object:
    """What `work` returns, run in a transaction that is rolled back (for outcomes())."""
    outcome: list[object] = []
    try:
        with transaction.atomic():
            outcome.append(work())
            raise _Rollback
    except _Rollback:
        pass
    return outcome[0]


def vacuum_analyze(tables: tuple[str, ...] | list[str]) -> bool:
    """VACUUM (ANALYZE) the tables a benchmark wrote (its rolled-back rows are dead
    tuples, and autovacuum may be off). Outside a transaction only; False when it
    could not run (another database, or inside a test's transaction)."""
    if not tables or connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    quoted = ", ".join(connection.ops.quote_name(table) for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {quoted}")
    return True


def side_order(sides: list[str], number: int) -> list[str]:
    """The order of round `number` (counted across runs): alternate which side starts."""
    return list(sides) if number % 2 == 0 else list(reversed(sides))


def side_by_side(
    sides: dict[str, Callable[[], object]],
    rounds: int,
    say,
    *,
    run_index: int = 0,
    vacuum: tuple[str, ...] = (),
) -> dict[str, dict]:
    """Alternate the sides round by round (odd runs start with the other side); report
    the median time and the query count. With `vacuum`, those tables are vacuumed and
    analyzed after every round (and before the first), outside the timed part."""
    times: dict[str, list[float]] = {name: [] for name in sides}
    queries: dict[str, int] = {}
    vacuum_analyze(vacuum)
    for number in range(rounds):
        order = side_order(list(sides), number + run_index)
        for name in order:
            seconds, count = timed_in_rollback(sides[name])
            times[name].append(seconds)
            queries[name] = count
            vacuum_analyze(vacuum)
        say(
            f"  round {number + 1}/{rounds} ({' → '.join(order)}): "
            + ", ".join(f"{name} {times[name][-1] * 1000:,.0f} ms" for name in sides)
        )
    return {
        name: {"median_ms": median(values) * 1000, "queries": queries[name]}
        for name, values in times.items()
    }


def first_sides(sides: list[str], rounds: int, run_index: int) -> list[str]:
    """Which side started each round of run `run_index`, for the notes."""
    return [side_order(sides, number + run_index)[0] for number in range(rounds)]
