"""GeneratorBase: the bench generator's shared state and plumbing (inserts, links, dates, markings)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, tzinfo

from django.conf import settings
from django.db import connection, reset_queries

from dialogue.devtools.bench.bulk import chunked
from dialogue.devtools.bench.sampling import Skewed, weighted
from dialogue.devtools.bench.vocabulary import TextPool
from dialogue.enums import Marking
from dialogue.models import Sector

HISTORY_DAYS = 3 * 365


class BenchDataError(Exception):
    """The database cannot take the bench data (reference data missing, no bulk insert ids)."""


class GeneratorBase:
    """State and helpers the per-table methods share; BenchGenerator sets the first group up."""

    # Set up by BenchGenerator.__init__ and run().
    progress: Callable[[str], None]  # writes one progress line
    batch_size: int
    rng: random.Random
    counts: dict[str, int]  # rows per table at the requested scale
    today: date
    now: datetime
    tz: tzinfo
    total_rows: int
    password: str
    text: TextPool

    # Filled in by the per-table methods, in the order run() calls them.
    sectors: list[Sector]
    sector_ids: list[int]
    pick_sector: Skewed
    pick_code: Skewed
    org_ids: list[int]
    org_numbers: list[int]
    org_sectors: dict[int, list[int]]
    orgs_by_sector: dict[int, list[int]]
    secretariat_id: int
    official_of: dict[int, int]  # sector id -> official user id
    users_of_org: dict[int, list[int]]
    orgs_with_users: list[int]
    company_users: list[tuple[int, int]]  # (user id, organization id)
    chokepoints_by_sector: dict[int, list[int]]
    session_day: dict[int, date]
    sessions_by_sector: dict[int, list[int]]
    concerns_by_sector: dict[int, list[int]]
    threats_by_sector: dict[int, list[int]]

    def _insert(self, label: str, model, objects: Iterable) -> list[int]:
        """bulk_create in batches; report rows and seconds (generation included); return pks."""
        started = time.perf_counter()
        pks: list[int] = []
        for chunk in chunked(objects, self.batch_size):
            created = model.objects.bulk_create(chunk, batch_size=self.batch_size)
            if created[0].pk is None:
                raise BenchDataError("This database cannot return ids from bulk inserts.")
            pks.extend(obj.pk for obj in created)
            self._forget_queries()
        self.total_rows += len(pks)
        self.progress(f"{label:<36}{len(pks):>10,} rows {time.perf_counter() - started:>9.2f} s")
        return pks

    @staticmethod
    def _forget_queries() -> None:
        """Under DEBUG, Django keeps every SQL string, and each batch is megabytes of text.

        Not while a test captures queries (force_debug_cursor): it counts the log.
        """
        if settings.DEBUG and not connection.force_debug_cursor:
            reset_queries()

    def _link(self, label: str, model, field_name: str, pairs: Iterable[tuple[int, int]]) -> None:
        """Fill a many-to-many through table directly."""
        field = model._meta.get_field(field_name)
        through = field.remote_field.through
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        self._insert(label, through, (through(**{source: a, target: b}) for a, b in pairs))

    def _moment(self, day: date) -> datetime:
        """An aware datetime on `day` during office hours, never in the future."""
        moment = datetime.combine(day, datetime.min.time(), tzinfo=self.tz) + timedelta(
            minutes=self.rng.randint(8 * 60, 20 * 60)
        )
        return min(moment, self.now)

    def _past_day(self, max_days: int = HISTORY_DAYS) -> date:
        return self.today - timedelta(days=self.rng.randint(0, max_days))

    def _marking(self, table: dict | None = None) -> str:
        return weighted(
            self.rng,
            table
            or {
                Marking.AMBER: 40,
                Marking.AMBER_STRICT: 22,
                Marking.GREEN: 25,
                Marking.CLEAR: 11,
                Marking.RED: 2,
            },
        )

    def _named(self, item_ids: list[int], markings: list[str], people) -> list[tuple[int, int]]:
        """RED items name one or two people: `people(i)` gives candidates for item i."""
        pairs = []
        for i, (pk, marking) in enumerate(zip(item_ids, markings, strict=True)):
            if marking == Marking.RED:
                candidates = list(dict.fromkeys(people(i)))
                pairs += [
                    (pk, user) for user in self.rng.sample(candidates, min(2, len(candidates)))
                ]
        return pairs
