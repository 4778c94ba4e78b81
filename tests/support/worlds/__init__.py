"""Worlds: everyone's data at once, built once for a test module.

- `api`: company A and B in semiconductors, AMBER items of two sectors, A's AMBER+STRICT
  concern with an internal note, a draft plan revision (the API's authorization tests);
- `access`: the API world plus a session and token per role, RED items, a digest, a
  finished export, an invitation (the permission matrix and the access sweep);
- `derived`: the access world plus what diffs, aggregates, e-mails and search need, and
  an independent oracle of who may see what (the derived-artefact sweep);
- `corpus`: the records every bad-input case points at.

A module fixture builds one inside `rolled_back()`; each test then runs in a savepoint on
top of it (pytest-django's `db`), so the world is never committed.
"""

import contextlib
from collections.abc import Iterator

from django.db import transaction
from django.test import override_settings


@contextlib.contextmanager
def rolled_back(django_db_blocker, media_root) -> Iterator[None]:
    """Database access outside a test, in one transaction that is rolled back at the end,
    with uploaded files kept under `media_root`."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)
