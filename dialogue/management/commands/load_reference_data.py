from django.core.management.base import BaseCommand, CommandError

from dialogue.services.reference_data import reference_data_load


class Command(BaseCommand):
    help = (
        "Load sectors, threat codes, best practices, foreign measures and chokepoint examples "
        "from fixtures/. Idempotent: running it again changes nothing."
    )

    def handle(self, *args, **options):
        try:
            report = reference_data_load()
        except ValueError as error:  # a fixture that breaks a rule: nothing was saved
            raise CommandError(str(error)) from error
        for (model, outcome), count in sorted(report.counts.items()):
            self.stdout.write(f"{model:24} {outcome:14} {count}")
        if report.changed:
            self.stdout.write(
                self.style.SUCCESS(f"Reference data loaded ({report.changed} changes).")
            )
        else:
            self.stdout.write(
                self.style.SUCCESS("Reference data already up to date; nothing changed.")
            )
