"""BenchGenerator: the table sizes at scale 1 and the order the tables are written in."""

from __future__ import annotations

import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from dialogue.devtools.bench.base import BenchDataError
from dialogue.devtools.bench.bulk import explicit_timestamps
from dialogue.devtools.bench.people import PeopleTables
from dialogue.devtools.bench.records import RecordTables
from dialogue.devtools.bench.vocabulary import TextPool
from dialogue.models import (
    ChokepointTechnology,
    Concern,
    ConcernMessage,
    DialogueSession,
    FollowUpAction,
    Organization,
    Sector,
    Threat,
    ThreatCategory,
)

SCALE_1 = {
    "organizations": 5_000,
    "sessions": 20_000,
    "threats": 120_000,
    "concerns": 80_000,
    "chokepoints": 2_000,
    "actions": 100_000,
}


def missing_bench_data(scale: float) -> dict[str, tuple[int, int]]:
    """What one batch at `scale` would write that the database lacks: table -> (rows found,
    rows wanted), for the tables the benchmarks judge their data by, plus the bench
    secretariat user. Empty when a batch of at least this scale is already loaded."""
    from dialogue.devtools.bench.people import BENCH_SECRETARIAT
    from dialogue.models import User

    wanted = {name: max(1, round(SCALE_1[name] * scale)) for name in SCALE_1}
    found = {
        "threats": Threat.objects.count(),
        "concerns": Concern.objects.count(),
        "actions": FollowUpAction.objects.count(),
        "sessions": DialogueSession.objects.count(),
    }
    missing = {name: (rows, wanted[name]) for name, rows in found.items() if rows < wanted[name]}
    if not User.objects.filter(username=BENCH_SECRETARIAT).exists():
        missing["bench secretariat user"] = (0, 1)
    return missing


def require_reference_data() -> None:
    if not Sector.objects.exists() or not ThreatCategory.objects.exists():
        raise BenchDataError(
            "Reference data is missing (no sectors or threat codes). "
            "Run `manage.py load_reference_data` first."
        )


class BenchGenerator(PeopleTables, RecordTables):
    """Appends one batch of bench data; the same seed on the same database gives the same rows."""

    def __init__(
        self, *, scale: float, seed: int, batch_size: int, progress: Callable[[str], None]
    ):
        self.progress = progress
        self.batch_size = batch_size
        self.rng = random.Random(seed)  # noqa: S311
        self.counts = {name: max(1, round(n * scale)) for name, n in SCALE_1.items()}
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.total_rows = 0
        # One unusable password for every bench user: they cannot log in, and no hashing per row.
        self.password = make_password(None)

    def run(self) -> int:
        """Write every table in one transaction; return the number of rows inserted.

        Call require_reference_data() first.
        """
        self.text = TextPool(self.rng)
        with (
            transaction.atomic(),
            explicit_timestamps(
                Organization,
                DialogueSession,
                Threat,
                ChokepointTechnology,
                Concern,
                ConcernMessage,
                FollowUpAction,
            ),
        ):
            self._sectors()
            self._organizations()
            self._users()
            self._chokepoints()
            self._sessions()
            self._concerns()
            self._threats()
            self._actions()
        return self.total_rows
