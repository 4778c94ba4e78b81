"""`manage.py ensure_database`: create the PostgreSQL database DATABASE_URL names, if missing.

Connects to the server's maintenance database (`postgres`) with the same
host, port, user and password, and runs `CREATE DATABASE` when there is no
database of that name yet. Does nothing on SQLite (the file is created on
first use). `make bench` runs it before `migrate`.
"""

from __future__ import annotations

import warnings

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection


class Command(BaseCommand):
    help = "Create the PostgreSQL database that DATABASE_URL names if it does not exist yet."
    requires_system_checks = []  # the checks would connect to the database that may not exist

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write(f"The database is {connection.vendor}: nothing to create.")
            return
        from psycopg import sql

        name = connection.settings_dict["NAME"]
        where = f"{connection.settings_dict.get('HOST') or 'localhost'}:"
        where += str(connection.settings_dict.get("PORT") or 5432)
        try:
            # Django's own connection to the maintenance database, as the test runner uses
            # (it warns when it falls back to the database itself; the error says enough).
            with (
                warnings.catch_warnings(action="ignore", category=RuntimeWarning),
                connection._nodb_cursor() as cursor,
            ):
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if cursor.fetchone():
                    self.stdout.write(f"Database {name} exists on {where}.")
                    return
                quoted = sql.Identifier(name).as_string(cursor.connection)
                cursor.execute(f"CREATE DATABASE {quoted}")
        except DatabaseError as exc:
            raise CommandError(
                f"Could not create database {name} on PostgreSQL at {where}: {exc}".strip()
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Database {name} created on {where}."))
