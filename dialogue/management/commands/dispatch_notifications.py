from django.core.management.base import BaseCommand

from dialogue.services.notifications import notifications_dispatch


class Command(BaseCommand):
    help = "Send the concern notifications still owed (each once)."

    def handle(self, *args, **options):
        run = notifications_dispatch()
        self.stdout.write(f"claimed {run.queued}, e-mails sent {run.sent}, failures {run.failed}")
