"""`dashboard-heat-map`: the dashboard's heat map against the raw SQL aggregate it needs.

Goal: at scale 1 on PostgreSQL the heat-map query runs within 1.5x of the
equivalent raw SQL aggregate (`GROUP BY sector, code` over the threats the reader
may see), for a sector official, whose visibility condition is the most involved
(marking, sectors and domains, named people).

The reference is what an expert writes for that visibility: the same `IN
(SELECT …)` subqueries the ORM builds (uncorrelated, so PostgreSQL hashes them
once and can scan in parallel). A correlated `EXISTS` for the named people is
slower here (run serially, with a sort spilling to disk), so it would flatter
the ratio. Before timing, both sides must give identical counts in every cell.
"""

from __future__ import annotations

from django.db import connection

from dialogue.devtools.benchmarks.inprocess import first_sides, side_by_side
from dialogue.devtools.benchmarks.registry import Benchmark, BenchmarkError, Goal, Result, register
from dialogue.enums import Marking, Role
from dialogue.models import Sector, Threat, User
from dialogue.selectors.dashboard import threat_heat_map

MAX_RATIO = 1.5


def raw_heat_map(user: User) -> dict[tuple[int, int], int]:
    """The same counts in plain SQL for an official: CLEAR and GREEN, AMBER and
    AMBER+STRICT of their sectors (and their domains' sectors), RED where named."""
    threat, sector = Threat._meta.db_table, Sector._meta.db_table
    officials = User.sectors.through._meta.db_table
    named = Threat.named_users.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT t.sector_id, t.category_id, COUNT(*)
            FROM {threat} t
            WHERE t.marking IN (%(clear)s, %(green)s)
               OR (t.marking IN (%(amber)s, %(amber_strict)s) AND t.sector_id IN (
                     SELECT s.id FROM {sector} s
                     WHERE s.id IN (SELECT sector_id FROM {officials} WHERE user_id = %(user)s)
                        OR s.parent_id IN (SELECT sector_id FROM {officials} WHERE user_id = %(user)s)))
               OR (t.marking = %(red)s AND t.id IN (
                     SELECT n.threat_id FROM {named} n WHERE n.user_id = %(user)s))
            GROUP BY t.sector_id, t.category_id
            """,
            {
                "user": user.pk,
                "clear": Marking.CLEAR.value,
                "green": Marking.GREEN.value,
                "amber": Marking.AMBER.value,
                "amber_strict": Marking.AMBER_STRICT.value,
                "red": Marking.RED.value,
            },
        )
        return {(sector_id, category_id): n for sector_id, category_id, n in cursor.fetchall()}


def heat_map_counts(user: User) -> dict[tuple[int, int], int]:
    """The non-empty cells of the dashboard's heat map, keyed like the raw SQL's rows."""
    heat_map = threat_heat_map(user)
    return {
        (row.sector.pk, cell.category.pk): cell.count
        for row in heat_map.rows
        for cell in row.cells
        if cell.count
    }


@register
class HeatMapBenchmark(Benchmark):
    name = "dashboard-heat-map"
    description = "threat_heat_map() for a sector official vs the raw SQL GROUP BY (IN form)"
    label = "dashboard heat map (sector official) vs raw SQL `GROUP BY`"

    def check(self) -> None:
        if connection.vendor != "postgresql":
            raise BenchmarkError("dashboard-heat-map measures PostgreSQL; set DATABASE_URL to one.")
        self.reader = (
            User.objects.filter(role=Role.OFFICIAL, is_active=True, sectors__code="semiconductors")
            .order_by("pk")
            .first()
        )
        if self.reader is None:
            raise BenchmarkError("no semiconductor official; run generate_bench_data first.")

    def outcomes(self, server=None) -> dict[str, object]:
        return {
            "heat_map": heat_map_counts(self.reader),
            "raw_sql": raw_heat_map(self.reader),
        }

    def run(self, server=None) -> Result:
        figures = side_by_side(
            {
                "heat_map": lambda: threat_heat_map(self.reader),
                "raw_sql": lambda: raw_heat_map(self.reader),
            },
            rounds=self.rounds,
            say=self.say,
            run_index=self.run_index,
        )
        ratio = figures["heat_map"]["median_ms"] / figures["raw_sql"]["median_ms"]
        return Result(
            name=self.name,
            description=self.description,
            figures=figures,
            goals=[
                Goal(
                    "heat map time / raw SQL time",
                    ratio,
                    "<=",
                    MAX_RATIO,
                    ours="heat_map.median_ms",
                    reference="raw_sql.median_ms",
                )
            ],
            notes={
                "threats_in_database": Threat.objects.count(),
                "first_side_per_round": first_sides(
                    ["heat_map", "raw_sql"], self.rounds, self.run_index
                ),
            },
        )
