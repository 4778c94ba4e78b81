"""`digest-secretariat`: one secretariat digest against the raw SQL aggregates it needs.

Goal (background-jobs issue): within 2x of the raw SQL, with a constant query count.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone

from dialogue.devtools.benchmarks.inprocess import side_by_side
from dialogue.devtools.benchmarks.registry import Benchmark, BenchmarkError, Goal, Result, register
from dialogue.enums import Role
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

MAX_RATIO = 2.0


def raw_aggregates(since, today) -> None:
    """The same figures for a secretariat reader (everything but RED), in plain SQL."""
    t, c, n, a, s, k = (
        m._meta.db_table
        for m in (Threat, ChokepointTechnology, Concern, FollowUpAction, Sector, ThreatCategory)
    )
    params = {"since": since, "today": today, "red": "RED"}
    statements = [
        f"""SELECT s.code, k.code, COUNT(*) FROM {t} x JOIN {s} s ON s.id = x.sector_id
            JOIN {k} k ON k.id = x.category_id
            WHERE x.marking <> %(red)s AND x.created_at >= %(since)s GROUP BY s.code, k.code""",
        f"""SELECT s.code, k.code, COUNT(*) FROM {t} x JOIN {s} s ON s.id = x.sector_id
            JOIN {k} k ON k.id = x.category_id
            WHERE x.marking <> %(red)s AND x.created_at < %(since)s AND x.updated_at >= %(since)s
            GROUP BY s.code, k.code""",
        f"""SELECT x.id, x.name, s.code, x.marking FROM {c} x JOIN {s} s ON s.id = x.sector_id
            WHERE x.marking <> %(red)s AND x.created_at >= %(since)s ORDER BY x.id LIMIT 50""",
        f"""SELECT s.code, k.code, COUNT(*), COUNT(DISTINCT x.organization_id) FROM {n} x
            JOIN {s} s ON s.id = x.sector_id JOIN {k} k ON k.id = x.category_id
            WHERE x.marking <> %(red)s AND x.created_at >= %(since)s GROUP BY s.code, k.code""",
        f"""SELECT COUNT(*) FILTER (WHERE completed_at >= %(since)s),
                   COUNT(*) FILTER (WHERE status IN ('open', 'in_progress') AND due_on < %(today)s)
            FROM {a} WHERE marking <> %(red)s""",
    ]
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, params)
            cursor.fetchall()


@register
class DigestBenchmark(Benchmark):
    name = "digest-secretariat"
    description = "digest_content() for the secretariat vs its raw SQL aggregates"
    label = "secretariat digest vs raw SQL aggregates"

    def check(self) -> None:
        if connection.vendor != "postgresql":
            raise BenchmarkError("digest-secretariat measures PostgreSQL; set DATABASE_URL to one.")
        self.reader = User.objects.filter(role=Role.SECRETARIAT, is_active=True).first()
        if self.reader is None:
            raise BenchmarkError("no active secretariat user; run generate_bench_data first.")

    def run(self, server=None) -> Result:
        revision = last_published_revision()
        since = revision.published_at if revision else timezone.now() - datetime.timedelta(days=90)
        today = timezone.localdate()
        figures = side_by_side(
            {
                "digest": lambda: digest_content(self.reader, since=since, today=today),
                "raw_sql": lambda: raw_aggregates(since, today),
            },
            rounds=self.rounds,
            say=self.say,
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
            notes={"since": since.isoformat()},
        )
