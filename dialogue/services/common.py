"""Helpers every write service uses: validation, optimistic locking, audit attribution."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from dialogue.validators import unstorable_text_errors
from dialogue.workflows import allowed_next

if TYPE_CHECKING:
    from dialogue.models import User
    from dialogue.models.base import VersionedModel

_Versioned = TypeVar("_Versioned", bound="VersionedModel")


class StaleVersionError(Exception):
    """The record changed since the caller read it; nothing was saved."""

    def __init__(self, instance: VersionedModel, expected: int) -> None:
        self.instance = instance
        self.expected = expected
        super().__init__(
            f"{type(instance).__name__} {instance.pk}: expected version {expected}, "
            f"found {instance.version}"
        )


def lock_for_update(instance: _Versioned, expected_version: int | None) -> _Versioned:
    """Re-read the row under a lock and refuse a write based on an older version."""
    locked = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersionError(locked, expected_version)
    return locked


def attribute_history(instance: models.Model, actor: User | None) -> None:
    """Name `actor` on the history row django-simple-history writes at the next save."""
    instance._history_user = actor  # type: ignore[attr-defined]  # simple-history reads it


def save_validated(
    instance: models.Model, *, actor: User | None, update_fields: list[str] | None = None
) -> None:
    """full_clean(), attribute the change to `actor` in the history, and save.

    Text a database cannot hold (a NUL, an unpaired surrogate) is a field error too.
    """
    unstorable = unstorable_text_errors(instance)
    if unstorable:
        raise ValidationError(unstorable)
    instance.full_clean()
    attribute_history(instance, actor)
    if update_fields is not None:
        update_fields = list(update_fields)
        if hasattr(instance, "version"):
            instance.version += 1
            update_fields.append("version")
        if hasattr(instance, "updated_at"):
            update_fields.append("updated_at")
    instance.save(update_fields=update_fields)


def check_transition(
    transitions: Mapping[Any, Set[str]], choices: type[models.TextChoices], current: str, new: str
) -> None:
    """Raise a translated ValidationError unless `current` → `new` is an allowed transition."""
    if new not in choices.values:
        raise ValidationError(
            {"status": _("“%(value)s” is not a valid status.") % {"value": new}},
            code="invalid_choice",
        )
    if new not in allowed_next(transitions, current):
        raise ValidationError(
            {
                "status": _("The status cannot change from “%(current)s” to “%(new)s”.")
                % {"current": choices(current).label, "new": choices(new).label}
            },
            code="invalid_transition",
        )


class PermissionDeniedError(Exception):
    """The user may see the record but not make this change."""


def apply_changes(
    instance: _Versioned,
    *,
    actor: User,
    changes: Mapping[str, Any],
    allowed: set[str],
    expected_version: int | None = None,
) -> _Versioned:
    """Lock the row, refuse a stale version, set the allowed fields, validate and save.

    Many-to-many values (lists) are set after the row is saved.
    """
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not updatable here: {sorted(unknown)}")
    locked = lock_for_update(instance, expected_version)
    scalar: dict[str, Any] = {}
    m2m: dict[str, Any] = {}
    for name, value in changes.items():
        field = locked._meta.get_field(name)
        (m2m if field.many_to_many else scalar)[name] = value
    for name, value in scalar.items():
        setattr(locked, name, value)
    save_validated(locked, actor=actor, update_fields=list(scalar))
    for name, value in m2m.items():
        getattr(locked, name).set(value)
    return locked
