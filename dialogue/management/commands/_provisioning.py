"""Shared parts of the provisioning commands."""

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def read_password(given: str | None, *, interactive: bool) -> str:
    if given:
        return given
    if not interactive:
        raise CommandError("No --password given and no terminal to ask for one.")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise CommandError("The two passwords differ.")
    return first


def as_command_error(error: ValidationError) -> CommandError:
    if hasattr(error, "message_dict"):
        text = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    else:
        text = " ".join(error.messages)
    return CommandError(text)
