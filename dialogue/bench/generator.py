"""BenchGenerator: the table sizes at scale 1 and the order the tables are written in."""

from __future__ import annotations

import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from dialogue.bench.base import BenchDataError
from dialogue.bench.bulk import explicit_timestamps
from dialogue.bench.people import PeopleTables
from dialogue.bench.records import RecordTables
from dialogue.bench.vocabulary import TextPool
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
