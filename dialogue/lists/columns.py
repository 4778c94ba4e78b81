"""Export columns: what each column of a list's export holds, as SQL for its reader.

A column's value is a field name or an expression built for the reader (a related
record is shown only to those who may see it), so a list's rows are one `values_list`
query that Python or PostgreSQL's COPY can stream alike (selectors/exports.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, CharField, Exists, F, OuterRef, Value, When
from django.db.models.functions import Coalesce, NullIf, TruncDate
from django.utils import timezone, translation

from dialogue.enums import Marking, SeverityLevel
from dialogue.models import User


@dataclass(frozen=True)
class Column:
    key: str
    title: object  # a lazy translation
    value: Callable[[User], object]  # a field name or an expression, built for the reader
    text: bool = False  # free text: neutralized in SQL
    width: int = 14


def field(name: str) -> Callable[[User], str]:
    return lambda user: name


def labelled(name: str, choices) -> Case:
    """A choice column shown by its label in the active language."""
    return Case(
        *(When(**{name: value}, then=Value(str(label))) for value, label in choices.choices),
        default=F(name),
        output_field=CharField(),
    )


def marking_column() -> Case:
    return Case(
        *(When(marking=value, then=Value(label)) for value, label in Marking.choices),
        default=F("marking"),
        output_field=CharField(),
    )


def localized_name(prefix: str):
    """`<prefix>name_en` in English (falling back to Japanese), `<prefix>name_ja` otherwise."""
    if (translation.get_language() or "ja")[:2] == "en":
        return Coalesce(NullIf(F(f"{prefix}name_en"), Value("")), F(f"{prefix}name_ja"))
    return F(f"{prefix}name_ja")


def local_date(name: str) -> TruncDate:
    return TruncDate(name, tzinfo=timezone.get_current_timezone())


def severity_band():
    return Case(
        When(severity__gte=15, then=Value(str(SeverityLevel.CRITICAL.label))),
        When(severity__gte=10, then=Value(str(SeverityLevel.HIGH.label))),
        When(severity__gte=5, then=Value(str(SeverityLevel.MEDIUM.label))),
        default=Value(str(SeverityLevel.LOW.label)),
        output_field=CharField(),
    )


def visible_id(name: str, model, user: User) -> Case:
    """The related id only when the reader may see that record (as the API list shows it)."""
    return Case(
        When(Exists(model.objects.visible_to(user).filter(pk=OuterRef(name))), then=F(name)),
        default=None,
    )
