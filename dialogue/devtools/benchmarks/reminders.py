"""`reminder-sweep`: the daily sweep against one `INSERT … ON CONFLICT DO NOTHING RETURNING`.

Goal: at scale 1 on PostgreSQL (100,000 actions) the sweep's database work runs
within 1.5x of a single statement writing the same ledger rows, with a query
count that does not grow with the number of actions.

The reference is one data-modifying statement: it selects every reminder the
sweep owes today — to the owner (due in 7 days, due tomorrow, overdue; a RED
action only to an owner named on it) and the escalations of long-overdue
actions to their sector's active lead, where the lead may see the action — and
inserts them into the ledger with `ON CONFLICT (action, kind, due date) DO
NOTHING RETURNING`, then reads the inserted rows with what the e-mails show,
ordered by recipient (what the sweep reads to group its e-mails). The lead's
visibility is written out for the roles a lead has (secretariat and
administrators, officials, the action's owner); the same-result check catches
a lead of any other kind.

Before timing, both sides run once in a transaction that is rolled back, and
the sets of (action, kind, due date, recipient) rows they insert must be equal.
Every timed side runs in a rolled-back transaction as well, and the ledger is
vacuumed and analyzed after each, so the database does not change or drift
between rounds.

Two sweep figures are reported. `sweep_selection` is the sweep's database work —
claiming what earlier runs left unsent (one UPDATE, and reading those), writing
today's ledger rows already claimed and reading them back with what the e-mails show
(on PostgreSQL one statement: the INSERT's RETURNING joined to the actions), and
grouping them by recipient — and is what the goal compares with the statement.
`sweep_full` adds rendering one e-mail per recipient in their language (to Django's
dummy backend, so SMTP is not measured); on a first sweep after a backlog that is
over a thousand e-mails, which no single SQL statement does, so it is reported
beside the goal rather than judged by it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.test.utils import override_settings
from django.utils import timezone

from dialogue.devtools.benchmarks.inprocess import first_sides, rolled_back, side_by_side
from dialogue.devtools.benchmarks.registry import Benchmark, BenchmarkError, Goal, Result, register
from dialogue.enums import ActionStatus, Marking, ReminderKind, Role
from dialogue.models import FollowUpAction, JobRun, Reminder, Sector, User
from dialogue.services.deliveries import new_token
from dialogue.services.reminders import (
    _reminder_groups,
    claimed_rows,
    reminder_sweep,
    reminders_queue,
)

MIN_ACTIONS = 10_000
MAX_RATIO = 1.5

LedgerKey = tuple[int, str, datetime.date, int]  # action, kind, due date, recipient


def _reference_sql() -> str:
    reminder, action, sector, user = (
        m._meta.db_table for m in (Reminder, FollowUpAction, Sector, User)
    )
    named = FollowUpAction.named_users.through
    named_action = named._meta.get_field("followupaction").column
    officials = User.sectors.through._meta.db_table
    # Table and column names come from model metadata; every value is a parameter.
    return f"""
        WITH owed AS (
            SELECT a.id AS action_id,
                   CASE WHEN a.due_on = %(in_7)s THEN %(due_7d)s
                        WHEN a.due_on = %(in_1)s THEN %(due_1d)s
                        ELSE %(overdue)s END AS kind,
                   a.due_on, a.owner_id AS recipient_id
            FROM {action} a
            WHERE a.status IN (%(open)s, %(in_progress)s)
              AND (a.due_on = %(in_7)s OR a.due_on = %(in_1)s OR a.due_on < %(today)s)
              AND (a.marking <> %(red)s OR (a.id, a.owner_id) IN (
                    SELECT {named_action}, user_id FROM {named._meta.db_table}))
            UNION ALL
            SELECT a.id, %(escalation)s, a.due_on, s.lead_id
            FROM {action} a
            JOIN {sector} s ON s.id = a.sector_id
            JOIN {user} u ON u.id = s.lead_id AND u.is_active
            WHERE a.status IN (%(open)s, %(in_progress)s)
              AND a.due_on <= %(before)s
              AND a.marking <> %(red)s
              AND (u.is_superuser OR u.role IN (%(secretariat)s, %(admin)s)
                   OR a.owner_id = u.id
                   OR (u.role = %(official)s AND (
                         a.marking IN (%(clear)s, %(green)s)
                         OR (a.marking IN (%(amber)s, %(amber_strict)s) AND (
                               s.id IN (SELECT sector_id FROM {officials} WHERE user_id = u.id)
                               OR s.parent_id IN (
                                 SELECT sector_id FROM {officials} WHERE user_id = u.id))))))
        ), inserted AS (
            INSERT INTO {reminder}
                (action_id, kind, due_on, recipient_id, created_at, claim_token, attempts,
                 last_error)
            SELECT action_id, kind, due_on, recipient_id, %(now)s, '', 0, '' FROM owed
            ON CONFLICT (action_id, kind, due_on) DO NOTHING
            RETURNING id, action_id, kind, due_on, recipient_id
        )
        SELECT i.action_id, i.kind, i.due_on, i.recipient_id, i.id,
               a.title, a.status, a.marking, s.name_ja, s.name_en
        FROM inserted i
        JOIN {action} a ON a.id = i.action_id
        JOIN {sector} s ON s.id = a.sector_id
        ORDER BY i.recipient_id, i.kind, i.due_on, i.action_id
    """


def reference_statement(today: datetime.date) -> list[tuple]:
    """Every reminder and escalation owed today, written and read back in one statement."""
    ops = connection.ops
    params = {
        "today": ops.adapt_datefield_value(today),
        "in_1": ops.adapt_datefield_value(today + datetime.timedelta(days=1)),
        "in_7": ops.adapt_datefield_value(today + datetime.timedelta(days=7)),
        "before": ops.adapt_datefield_value(
            today - datetime.timedelta(days=settings.REMINDER_ESCALATE_AFTER_DAYS)
        ),
        "now": timezone.now(),
        "open": ActionStatus.OPEN.value,
        "in_progress": ActionStatus.IN_PROGRESS.value,
        "due_7d": ReminderKind.DUE_IN_7_DAYS.value,
        "due_1d": ReminderKind.DUE_TOMORROW.value,
        "overdue": ReminderKind.OVERDUE.value,
        "escalation": ReminderKind.ESCALATION.value,
        "red": Marking.RED.value,
        "clear": Marking.CLEAR.value,
        "green": Marking.GREEN.value,
        "amber": Marking.AMBER.value,
        "amber_strict": Marking.AMBER_STRICT.value,
        "secretariat": Role.SECRETARIAT.value,
        "admin": Role.ADMIN.value,
        "official": Role.OFFICIAL.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(_reference_sql(), params)
        return cursor.fetchall()


def sweep_keys(today: datetime.date) -> set[LedgerKey]:
    """The ledger rows the sweep's queueing writes (call in a rolled-back transaction)."""
    last = Reminder.objects.aggregate(last=Max("pk"))["last"] or 0
    reminders_queue(today)
    return set(
        Reminder.objects.filter(pk__gt=last).values_list(
            "action_id", "kind", "due_on", "recipient_id"
        )
    )


def reference_keys(today: datetime.date) -> set[LedgerKey]:
    return {row[:4] for row in reference_statement(today)}


@register
class ReminderSweepBenchmark(Benchmark):
    name = "reminder-sweep"
    description = (
        "reminder_sweep() vs one INSERT … ON CONFLICT DO NOTHING RETURNING of the same "
        "reminders and escalations (rolled back)"
    )
    label = "reminder sweep vs one `INSERT … ON CONFLICT DO NOTHING RETURNING`"
    default_rounds = 3  # a round runs the full sweep too (about 1,600 e-mails rendered)
    writes_tables = (Reminder._meta.db_table, JobRun._meta.db_table)

    def check(self) -> None:
        if connection.vendor != "postgresql":
            raise BenchmarkError("reminder-sweep measures PostgreSQL; set DATABASE_URL to one.")
        self.actions = FollowUpAction.objects.count()
        if self.actions < MIN_ACTIONS and not self.options.allow_small:
            raise BenchmarkError(
                f"reminder-sweep needs the bench data set ({self.actions:,} actions < "
                f"{MIN_ACTIONS:,}); run `manage.py generate_bench_data --scale 1` first."
            )
        self.today = timezone.localdate()

    def outcomes(self, server=None) -> dict[str, object]:
        sweep = rolled_back(lambda: sweep_keys(self.today))
        reference = rolled_back(lambda: reference_keys(self.today))
        self.queued = {
            kind: sum(1 for key in sweep if key[1] == kind) for kind in ReminderKind.values
        }
        return {"sweep": sweep, "reference": reference}

    def run(self, server=None) -> Result:
        today = self.today

        def selection():
            _, rows = claimed_rows(today, new_token())
            return list(_reminder_groups(rows))

        sides = {
            "sweep_selection": selection,
            "sweep_full": lambda: reminder_sweep(today=today),
            "reference": lambda: reference_statement(today),
        }
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            figures = side_by_side(
                sides,
                rounds=self.rounds,
                say=self.say,
                run_index=self.run_index,
                vacuum=self.writes_tables,
            )
        reference_ms = figures["reference"]["median_ms"]
        ratio = figures["sweep_selection"]["median_ms"] / reference_ms
        return Result(
            name=self.name,
            description=self.description,
            figures=figures,
            goals=[
                Goal(
                    "sweep selection / INSERT … RETURNING",
                    ratio,
                    "<=",
                    MAX_RATIO,
                    ours="sweep_selection.median_ms",
                    reference="reference.median_ms",
                ),
                # Reported beside the goal: no single statement renders e-mails.
                Goal(
                    "full sweep with e-mails / INSERT … RETURNING",
                    figures["sweep_full"]["median_ms"] / reference_ms,
                    "",
                    0,
                    ours="sweep_full.median_ms",
                    reference="reference.median_ms",
                ),
            ],
            notes={
                "actions_in_database": self.actions,
                "reminders_queued_by_kind": getattr(self, "queued", None),
                "first_side_per_round": first_sides(list(sides), self.rounds, self.run_index),
            },
        )
