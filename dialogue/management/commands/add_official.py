import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from dialogue.management.commands._provisioning import as_command_error, read_password
from dialogue.services.users import official_add


class Command(BaseCommand):
    help = "Create an official for some sectors (--sectors CODE,CODE) or for the secretariat."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument(
            "--sectors", help="Comma-separated sector codes, e.g. semiconductors,batteries"
        )
        scope.add_argument("--secretariat", action="store_true", help="Sees every sector.")
        parser.add_argument("--password", help="Prompted for when not given.")
        parser.add_argument("--language", choices=["ja", "en"], default="ja")

    def handle(self, *args, **options):
        password = read_password(options["password"], interactive=sys.stdin.isatty())
        try:
            user = official_add(
                username=options["username"],
                email=options["email"],
                password=password,
                sector_codes=options["sectors"].split(",") if options["sectors"] else None,
                secretariat=options["secretariat"],
                language=options["language"],
            )
        except ValidationError as error:
            raise as_command_error(error) from error
        scope = "secretariat" if options["secretariat"] else options["sectors"]
        self.stdout.write(self.style.SUCCESS(f"Created official {user.username} ({scope})."))
