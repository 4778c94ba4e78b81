"""The change history shown on detail pages: who changed which field, from what to what.

Built from django-simple-history records with `diff_against` on consecutive
records (no query per record). Foreign keys are shown by name, looked up in one
query per related model; a related record that the reader may not see is never
named. Many-to-many links and bookkeeping fields (version, timestamps) are left
out of the diff.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from dialogue.templatetags.workspace import person_name

BOOKKEEPING_FIELDS = {"version", "created_at", "updated_at"}
KIND_LABELS = {
    "+": pgettext_lazy("history entry", "Created"),
    "~": pgettext_lazy("history entry", "Changed"),
    "-": pgettext_lazy("history entry", "Deleted"),
}
EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: str
    kind: str
    changes: list[FieldChange] = field(default_factory=list)
    kind_code: str = "~"

    @property
    def links_only(self) -> bool:
        """A change of linked records only (chokepoints, named people …), not itemized."""
        return self.kind_code == "~" and not self.changes


def _label_lookups(model: type[models.Model], ids_by_field: dict[str, set], user) -> dict:
    """{field name: {pk: label}} for the foreign keys that appear in the diffs."""
    labels: dict[str, dict] = {}
    for name, ids in ids_by_field.items():
        related = model._meta.get_field(name).related_model
        manager = related._default_manager
        queryset = manager.visible_to(user) if hasattr(manager, "visible_to") else manager.none()
        if related._meta.model_name == "user":
            labels[name] = {u.pk: person_name(u) for u in queryset.filter(pk__in=ids)}
        else:
            labels[name] = {obj.pk: str(obj) for obj in queryset.filter(pk__in=ids)}
    return labels


def _display(model_field, value, fk_labels: dict) -> str:
    if value is None or value == "":
        return EMPTY
    if model_field.is_relation:
        # Not visible to the reader (or deleted): say so without naming it.
        return fk_labels.get(value, _("(not shown)"))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def change_history(instance: models.Model, user) -> list[HistoryEntry]:
    """Newest first. Two queries, plus one per kind of foreign key that changed."""
    model = type(instance)
    records = list(
        instance.history.select_related("history_user").order_by("history_date", "history_id")
    )
    if not records:
        return []
    m2m = {f.name for f in records[0]._history_m2m_fields}
    excluded = m2m | BOOKKEEPING_FIELDS
    deltas = [None]
    deltas += [
        new.diff_against(old, excluded_fields=excluded) for old, new in itertools.pairwise(records)
    ]
    fk_ids: dict[str, set] = defaultdict(set)
    for delta in deltas:
        for change in delta.changes if delta else ():
            if model._meta.get_field(change.field).is_relation:
                fk_ids[change.field].update(v for v in (change.old, change.new) if v is not None)
    labels = _label_lookups(model, fk_ids, user)

    entries = []
    for record, delta in zip(records, deltas, strict=True):
        changes = []
        for change in delta.changes if delta else ():
            model_field = model._meta.get_field(change.field)
            field_labels = labels.get(change.field, {})
            changes.append(
                FieldChange(
                    label=str(model_field.verbose_name),
                    old=_display(model_field, change.old, field_labels),
                    new=_display(model_field, change.new, field_labels),
                )
            )
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=person_name(record.history_user) if record.history_user else _("System"),
                kind=str(KIND_LABELS.get(record.history_type, record.history_type)),
                changes=changes,
                kind_code=record.history_type,
            )
        )
    entries.reverse()
    return entries
