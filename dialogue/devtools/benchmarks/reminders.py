"""`reminder-sweep`: the daily sweep against one set-based UPDATE … RETURNING of the same rows.

Goal (background-jobs issue): at scale 1 on PostgreSQL (100,000 actions) the sweep
runs within 2x of a single set-based statement doing the same selection, with a
query count that does not grow with the number of actions.

Two sweep figures are reported. `sweep_selection` is the sweep's database work —
writing the ledger rows (INSERT … SELECT), claiming them (one UPDATE) and reading
them grouped by recipient — and is what the goal compares with the statement.
`sweep_full` adds rendering one e-mail per recipient in their language (to Django's
dummy backend, so SMTP is not measured); on a first sweep after a backlog that is
over a thousand e-mails, which no single SQL statement does, so it is reported
beside the goal rather than judged by it.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from dialogue.devtools.benchmarks.inprocess import side_by_side
from dialogue.devtools.benchmarks.registry import Benchmark, BenchmarkError, Goal, Result, register
from dialogue.enums import ActionStatus
from dialogue.models import FollowUpAction, Reminder
from dialogue.services.deliveries import claim, new_token
from dialogue.services.reminders import _reminder_groups, reminder_sweep, reminders_queue

MIN_ACTIONS = 10_000
MAX_RATIO = 2.0


def reference_statement(today: datetime.date) -> None:
    """The same selection as the sweep, as one UPDATE … RETURNING (the floor to compare with)."""
    table = FollowUpAction._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} SET updated_at = updated_at
            WHERE status IN (%(open)s, %(in_progress)s)
              AND (due_on = %(in_7)s OR due_on = %(in_1)s OR due_on < %(today)s)
            RETURNING id, owner_id, due_on, sector_id
            """,
            {
                "open": ActionStatus.OPEN.value,
                "in_progress": ActionStatus.IN_PROGRESS.value,
                "today": today,
                "in_1": today + datetime.timedelta(days=1),
                "in_7": today + datetime.timedelta(days=7),
            },
        )
        cursor.fetchall()


@register
class ReminderSweepBenchmark(Benchmark):
    name = "reminder-sweep"
    description = "reminder_sweep() vs one UPDATE … RETURNING over the same actions (rolled back)"
    label = "reminder sweep vs set-based `UPDATE … RETURNING`"
    default_rounds = 3  # a round runs the full sweep too (about 1,600 e-mails rendered)

    def check(self) -> None:
        if connection.vendor != "postgresql":
            raise BenchmarkError("reminder-sweep measures PostgreSQL; set DATABASE_URL to one.")
        self.actions = FollowUpAction.objects.count()
        if self.actions < MIN_ACTIONS and not self.options.allow_small:
            raise BenchmarkError(
                f"reminder-sweep needs the bench data set ({self.actions:,} actions < "
                f"{MIN_ACTIONS:,}); run `manage.py generate_bench_data --scale 1` first."
            )

    def run(self, server=None) -> Result:
        today = timezone.localdate()
        due = (
            FollowUpAction.objects.open()
            .filter(
                due_on__in=[today + datetime.timedelta(days=1), today + datetime.timedelta(days=7)]
            )
            .count()
            + FollowUpAction.objects.overdue(today).count()
        )

        def selection():
            reminders_queue(today)
            token = new_token()
            claim(Reminder.objects.all(), token)
            return list(_reminder_groups(token))

        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            figures = side_by_side(
                {
                    "sweep_selection": selection,
                    "sweep_full": lambda: reminder_sweep(today=today),
                    "reference": lambda: reference_statement(today),
                },
                rounds=self.rounds,
                say=self.say,
            )
        reference_ms = figures["reference"]["median_ms"]
        ratio = figures["sweep_selection"]["median_ms"] / reference_ms
        return Result(
            name=self.name,
            description=self.description,
            figures=figures,
            goals=[
                Goal(
                    "sweep selection / UPDATE … RETURNING",
                    ratio,
                    "<=",
                    MAX_RATIO,
                    ours="sweep_selection.median_ms",
                    reference="reference.median_ms",
                ),
                # Reported beside the goal: no single statement renders e-mails.
                Goal(
                    "full sweep with e-mails / UPDATE … RETURNING",
                    figures["sweep_full"]["median_ms"] / reference_ms,
                    "",
                    0,
                    ours="sweep_full.median_ms",
                    reference="reference.median_ms",
                ),
            ],
            notes={"actions_in_database": self.actions, "actions_selected": due},
        )
