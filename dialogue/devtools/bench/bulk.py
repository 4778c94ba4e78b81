"""Bulk-insert helpers: batches of an iterable, and bulk_create keeping given timestamps."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


@contextmanager
def explicit_timestamps(*models):
    """Let bulk_create write the given created_at/updated_at instead of "now".

    auto_now/auto_now_add overwrite any value in pre_save; benchmarks need rows
    spread over three years. The flags are restored afterwards.
    """
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def chunked(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
