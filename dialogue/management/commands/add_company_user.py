import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from dialogue.management.commands._provisioning import as_command_error, read_password
from dialogue.services.users import company_user_add


class Command(BaseCommand):
    help = "Create a portal user belonging to the organization with this corporate number."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--organization", required=True, metavar="CORPORATE_NUMBER")
        parser.add_argument("--org-admin", action="store_true", help="May invite colleagues.")
        parser.add_argument("--password", help="Prompted for when not given.")
        parser.add_argument("--language", choices=["ja", "en"], default="ja")

    def handle(self, *args, **options):
        password = read_password(options["password"], interactive=sys.stdin.isatty())
        try:
            user = company_user_add(
                username=options["username"],
                email=options["email"],
                password=password,
                corporate_number=options["organization"],
                org_admin=options["org_admin"],
                language=options["language"],
            )
        except ValidationError as error:
            raise as_command_error(error) from error
        self.stdout.write(
            self.style.SUCCESS(f"Created company user {user.username} of {user.organization}.")
        )
