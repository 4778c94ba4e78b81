from django.core.management.base import BaseCommand

from dialogue.schedule import install_schedule


class Command(BaseCommand):
    help = "Write the default periodic jobs to the beat schedule (missing ones only)."

    def handle(self, *args, **options):
        created = install_schedule()
        for name in created:
            self.stdout.write(f"installed: {name}")
        if not created:
            self.stdout.write("The schedule is already installed; nothing changed.")
