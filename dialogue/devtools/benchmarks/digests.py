"""`digest-secretariat`: one secretariat digest against the raw SQL an expert would write.

Goal: within 1.5x of the raw SQL, with a constant query count.

The reference reads what the digest reports for the same reader: a secretariat
may see every record but a RED one it is named on, and a digest counts no RED
record, so both come to `marking <> 'RED'`. It scans each table once — new and
changed threats in one pass with `FILTER` aggregates, grouped on the foreign
keys and joined to the codes afterwards — and builds the digest's own dict
(same keys, same order, the same k-anonymous concern counts and highest
marking). Before timing, the two dicts must be equal.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from dialogue.devtools.benchmarks.inprocess import first_sides, side_by_side
from dialogue.devtools.benchmarks.registry import Benchmark, BenchmarkError, Goal, Result, register
from dialogue.disclosure import concern_count_or_none
from dialogue.enums import ActionStatus, Marking, Role
from dialogue.models import (
    ChokepointTechnology,
    Concern,
    FollowUpAction,
    Sector,
    Threat,
    ThreatCategory,
    User,
)
from dialogue.selectors.digests import digest_content, last_published_revision

MAX_RATIO = 1.5


def raw_digest(since: datetime.datetime, today: datetime.date) -> dict[str, Any]:
    """The secretariat's digest in plain SQL: one scan per table."""
    t, c, n, a, s, k = (
        m._meta.db_table
        for m in (Threat, ChokepointTechnology, Concern, FollowUpAction, Sector, ThreatCategory)
    )
    params = {
        "since": since,
        "today": today,
        "red": Marking.RED.value,
        "open": ActionStatus.OPEN.value,
        "in_progress": ActionStatus.IN_PROGRESS.value,
        "listed": settings.DIGEST_MAX_LISTED,
    }
    # Table names come from model metadata; every value is a parameter.
    threats_sql = f"""
        SELECT s.code, k.code, g.marking, g.new, g.changed
        FROM (
            SELECT sector_id, category_id, marking,
                   COUNT(*) FILTER (WHERE created_at >= %(since)s) AS new,
                   COUNT(*) FILTER (WHERE created_at < %(since)s AND updated_at >= %(since)s)
                       AS changed
            FROM {t}
            WHERE marking <> %(red)s AND (created_at >= %(since)s OR updated_at >= %(since)s)
            GROUP BY sector_id, category_id, marking
        ) g
        JOIN {s} s ON s.id = g.sector_id JOIN {k} k ON k.id = g.category_id"""
    chokepoints_sql = f"""
        WITH new AS (
            SELECT x.id, x.name, x.sector_id, x.marking FROM {c} x
            WHERE x.marking <> %(red)s AND x.created_at >= %(since)s
        )
        SELECT listed.id, listed.name, s.code, listed.marking
        FROM (SELECT * FROM new ORDER BY id LIMIT %(listed)s) listed
        JOIN {s} s ON s.id = listed.sector_id
        UNION ALL
        SELECT DISTINCT NULL::bigint, NULL, NULL, marking FROM new"""
    concerns_sql = f"""
        SELECT s.code, k.code, g.n, g.organizations
        FROM (
            SELECT sector_id, category_id, COUNT(*) AS n,
                   COUNT(DISTINCT organization_id) AS organizations
            FROM {n}
            WHERE marking <> %(red)s AND created_at >= %(since)s
            GROUP BY sector_id, category_id
        ) g
        JOIN {s} s ON s.id = g.sector_id JOIN {k} k ON k.id = g.category_id
        ORDER BY s.code, k.code"""
    actions_sql = f"""
        SELECT marking,
               COUNT(*) FILTER (WHERE completed_at >= %(since)s),
               COUNT(*) FILTER (WHERE status IN (%(open)s, %(in_progress)s) AND due_on < %(today)s)
        FROM {a} WHERE marking <> %(red)s GROUP BY marking"""
    markings: set[str] = set()
    new_threats: dict[tuple[str, str], int] = {}
    changed_threats: dict[tuple[str, str], int] = {}
    with connection.cursor() as cursor:
        cursor.execute(threats_sql, params)
        for sector, category, marking, new, changed in cursor.fetchall():
            markings.add(marking)
            if new:
                new_threats[sector, category] = new_threats.get((sector, category), 0) + new
            if changed:
                key = (sector, category)
                changed_threats[key] = changed_threats.get(key, 0) + changed
        cursor.execute(chokepoints_sql, params)
        listed = []
        for pk, name, sector, marking in cursor.fetchall():
            if pk is None:
                markings.add(marking)
            else:
                listed.append({"id": pk, "name": name, "sector": sector, "marking": marking})
        cursor.execute(concerns_sql, params)
        concerns = [
            {"sector": sector, "category": category, "count": concern_count_or_none(count, orgs)}
            for sector, category, count, orgs in cursor.fetchall()
        ]
        if concerns:
            markings.add(Marking.AMBER)
        cursor.execute(actions_sql, params)
        done = overdue = 0
        for marking, marking_done, marking_overdue in cursor.fetchall():
            done += marking_done
            overdue += marking_overdue
            if marking_done or marking_overdue:
                markings.add(marking)

    def listed_counts(counts: dict[tuple[str, str], int]) -> list[dict[str, Any]]:
        return [{"sector": s, "category": c, "count": n} for (s, c), n in sorted(counts.items())]

    return {
        "since": since.isoformat(),
        "new_threats": listed_counts(new_threats),
        "changed_threats": listed_counts(changed_threats),
        "new_chokepoints": sorted(listed, key=lambda row: row["id"]),
        "new_concerns": concerns,
        "actions_done": done,
        "actions_overdue": overdue,
        "marking": Marking.highest(markings).value,
    }


@register
class DigestBenchmark(Benchmark):
    name = "digest-secretariat"
    description = "digest_content() for the secretariat vs single-scan raw SQL of the same digest"
    label = "secretariat digest vs single-scan raw SQL"

    def check(self) -> None:
        if connection.vendor != "postgresql":
            raise BenchmarkError("digest-secretariat measures PostgreSQL; set DATABASE_URL to one.")
        self.reader = (
            User.objects.filter(role=Role.SECRETARIAT, is_active=True).order_by("pk").first()
        )
        if self.reader is None:
            raise BenchmarkError("no active secretariat user; run generate_bench_data first.")
        revision = last_published_revision()
        self.since = (
            revision.published_at if revision else timezone.now() - datetime.timedelta(days=90)
        )
        self.today = timezone.localdate()

    def digest(self) -> dict[str, Any]:
        return digest_content(self.reader, since=self.since, today=self.today)

    def reference(self) -> dict[str, Any]:
        return raw_digest(self.since, self.today)

    def outcomes(self, server=None) -> dict[str, object]:
        return {"digest": self.digest(), "raw_sql": self.reference()}

    def run(self, server=None) -> Result:
        figures = side_by_side(
            {"digest": self.digest, "raw_sql": self.reference},
            rounds=self.rounds,
            say=self.say,
            run_index=self.run_index,
        )
        ratio = figures["digest"]["median_ms"] / figures["raw_sql"]["median_ms"]
        return Result(
            name=self.name,
            description=self.description,
            figures=figures,
            goals=[
                Goal(
                    "digest time / raw SQL time",
                    ratio,
                    "<=",
                    MAX_RATIO,
                    ours="digest.median_ms",
                    reference="raw_sql.median_ms",
                )
            ],
            notes={
                "since": self.since.isoformat(),
                "first_side_per_round": first_sides(
                    ["digest", "raw_sql"], self.rounds, self.run_index
                ),
            },
        )
