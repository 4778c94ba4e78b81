"""`manage.py generate_bench_data --scale N [--seed S]`: bulk data for benchmarks.

Scale 1 means 20 sectors (the reference sectors plus `bench-sector-NN` rows),
5,000 organizations, 20,000 dialogue sessions, 120,000 threats, 80,000
concerns, 2,000 chokepoints and 100,000 follow-up actions, with the users,
participants, agenda items, concern messages and many-to-many links they need.
Sectors do not scale; everything else is proportional (at least one row each),
so `--scale 0.01` suits tests.

Every table is written with `bulk_create` in batches, so no `save()` runs and
django-simple-history records nothing. The same `--seed` on the same database
state gives the same data. Running it again *appends* another batch: sectors
and sector officials are reused, organizations get new corporate numbers from
a counter (bench organizations are marked by `name_en` "Bench Org NNNNNNN").
Requires `manage.py load_reference_data` first. With `--if-missing` it writes
nothing when the database already holds at least a batch of this scale (as many
threats, concerns, sessions and follow-up actions, and the bench secretariat):
`make bench` uses it to generate the data set once.

The generator lives in `dialogue.devtools.bench`; this command parses the options and
prints a progress line per table.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from dialogue.devtools.bench import (
    BenchDataError,
    BenchGenerator,
    missing_bench_data,
    require_reference_data,
)


class Command(BaseCommand):
    help = (
        "Generate benchmark data with bulk inserts (scale 1 = 20 sectors, 5,000 organizations, "
        "20,000 sessions, 120,000 threats, 80,000 concerns, 2,000 chokepoints, 100,000 actions). "
        "Appends on every run. Requires `manage.py load_reference_data` first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 = the full size; 0.01 for tests."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument("--batch-size", type=int, default=5000, help="Rows per bulk insert.")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help=(
                "Write nothing when the database already holds at least a batch of this scale "
                "(threats, concerns, sessions, follow-up actions and the bench secretariat)."
            ),
        )

    def handle(self, *args, scale: float, seed: int, batch_size: int, if_missing: bool, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        self.verbosity = options.get("verbosity", 1)
        if if_missing:
            missing = missing_bench_data(scale)
            if not missing:
                self._say(f"Bench data of scale {scale:g} is already loaded; nothing generated.")
                return
            self._say(
                "Missing bench data: "
                + ", ".join(
                    f"{name} {found:,} of {wanted:,}" for name, (found, wanted) in missing.items()
                )
            )
        try:
            require_reference_data()
            generator = BenchGenerator(
                scale=scale, seed=seed, batch_size=batch_size, progress=self._say
            )
            started = time.perf_counter()
            self._say(f"generate_bench_data: scale {scale:g}, seed {seed}")
            total_rows = generator.run()
        except BenchDataError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        self._say(
            f"{'total':<36}{total_rows:>10,} rows {elapsed:>9.2f} s", style=self.style.SUCCESS
        )

    def _say(self, message: str, style=None) -> None:
        if self.verbosity:
            self.stdout.write(style(message) if style else message)
            self.stdout.flush()
