from django.core.management.base import BaseCommand

from dialogue.services.digests import digest_round


class Command(BaseCommand):
    help = "Create and send the plan-revision digests owed now (one per person per period)."

    def handle(self, *args, **options):
        run = digest_round()
        self.stdout.write(
            f"digests created {run.queued}, e-mails sent {run.sent}, failures {run.failed}"
        )
