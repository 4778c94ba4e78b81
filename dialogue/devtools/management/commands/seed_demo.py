"""`manage.py seed_demo`: demo accounts and a small, realistic Japanese sample.

Idempotent: every row is looked up by a stable key (username, corporate number,
title …) and created only when missing, so a second run creates nothing. The
accounts share one known password (`--password`, default `demo-pass-2026`):
never run this against a production database.

The rows are defined and created in `dialogue.devtools.demo`; this command parses the
option and prints the logins table.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dialogue.devtools.demo import DEFAULT_PASSWORD, MissingReferenceData, seed_demo
from dialogue.devtools.demo.logins import logins_table


class Command(BaseCommand):
    help = (
        "Create demo accounts (secretariat, semicon_official, battery_official, company_a, "
        "company_b, admin) sharing one known password, and a small Japanese sample of sessions, "
        "threats, chokepoints, concerns, actions and the first plan revision. Idempotent. "
        "Requires `manage.py load_reference_data` first. Never use on production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Password of every demo account (default: {DEFAULT_PASSWORD}).",
        )

    def handle(self, *args, password: str, **options):
        try:
            result = seed_demo(password)
        except MissingReferenceData as exc:
            raise CommandError(str(exc)) from exc

        self.stdout.write(f"Demo data ready ({result.created} rows created).")
        self.stdout.write("")
        for line in logins_table(result.users, password):
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                "WARNING: these are demo accounts with a shared, published password. "
                "Never run seed_demo on a production database."
            )
        )
