from django.core.management.base import BaseCommand

from dialogue.services.reminders import reminder_sweep


class Command(BaseCommand):
    help = (
        "Run the reminder sweep now (the same code path as the Celery task; each reminder "
        "is still sent once only). For operators, and for cron where beat is not used."
    )

    def handle(self, *args, **options):
        run = reminder_sweep()
        self.stdout.write(f"queued {run.queued}, e-mails sent {run.sent}, failures {run.failed}")
