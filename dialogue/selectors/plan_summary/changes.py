"""The changes since the previous revision, labelled for reading: the diff page and the
summary's "changes" sheet show the same lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from django.utils.translation import gettext_lazy

from dialogue.disclosure import HIDDEN, count_label
from dialogue.models import PlanRevision, PlanRevisionItem, User
from dialogue.selectors.plan_summary.labels import (
    FIELD_LABELS,
    choice_label,
    item_title,
    marking_label,
)
from dialogue.selectors.plans import ItemChange, plan_revision_diff

Kind = PlanRevisionItem.Kind
CHANGE_LABELS = {
    "added": gettext_lazy("Added"),
    "removed": gettext_lazy("Removed"),
    "changed": gettext_lazy("Changed"),
}


class FieldChange(NamedTuple):
    """One field of a changed line, as the reader may see it (a tuple, so it also unpacks)."""

    name: str
    label: str
    old: object
    new: object


@dataclass
class ChangeLine:
    """One change as a reader sees it: concern counts suppressed below K_ANONYMITY."""

    change: ItemChange
    title: str
    fields: list[FieldChange]

    @property
    def kind_label(self) -> str:
        return str(Kind(self.change.kind).label)

    @property
    def change_label(self) -> str:
        return str(CHANGE_LABELS[self.change.change])

    @property
    def reference(self) -> str:
        change = self.change
        if change.kind == Kind.CONCERN_AGGREGATE:
            return f"{change.data.get('sector', '')} × {change.data.get('category', '')}"
        return f"#{change.key.rsplit(':', 1)[-1]}"


def _shown_reference(value: Any) -> str:
    return str(HIDDEN) if value is HIDDEN else f"#{value}"


def _shown_value(kind: str, name: str, value: Any) -> Any:
    """A field of a disclosed change, for a page or a file: references as "#id" or HIDDEN."""
    if isinstance(value, list):
        return ", ".join(_shown_reference(v) for v in value)
    if name.startswith("source_") and value is not None:
        return _shown_reference(value)
    if name == "marking":
        return marking_label(value) if value else ""
    return choice_label(kind, name, value)


def plan_revision_changes(
    revision: PlanRevision, user: User, *, max_marking: str | None = None
) -> list[ChangeLine]:
    """The diff page's and the exports' changes: `plan_revision_diff`, labelled for reading."""
    lines: list[ChangeLine] = []
    for change in plan_revision_diff(revision, user, max_marking=max_marking):
        if change.kind == Kind.CONCERN_AGGREGATE:
            counts = change.fields["concerns"]
            concerns = FieldChange(
                "concerns",
                str(FIELD_LABELS["concerns"]),
                count_label(counts["old"]),
                count_label(counts["new"]),
            )
            lines.append(ChangeLine(change, str(Kind.CONCERN_AGGREGATE.label), [concerns]))
            continue
        fields = [
            FieldChange(
                name,
                str(FIELD_LABELS.get(name, name)),
                _shown_value(change.kind, name, values["old"]),
                _shown_value(change.kind, name, values["new"]),
            )
            for name, values in change.fields.items()
        ]
        lines.append(ChangeLine(change, item_title(change.data), fields))
    return lines


def change_order(line: ChangeLine, sector_order: dict[str, int]) -> tuple[int, str, str, int, str]:
    """Per sector (in the sectors' order), kind, change, then item number."""
    change = line.change
    number = change.key.rsplit(":", 1)[-1]
    return (
        sector_order.get(change.sector, 1_000_000),
        change.kind,
        change.change,
        int(number) if number.isdigit() else 0,
        change.key,
    )
