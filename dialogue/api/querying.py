"""Which related records on a page the caller may see, without a query per row.

A threat names its source session and source concern, an action its owner, a
session its chokepoints… but the caller may see a record and not every record it
points to. The serializer fields (`dialogue.api.fields`) show a related id only
when the view has marked it visible on the instance; unmarked means hidden.

The marks are set *after* pagination, on the page's rows only: one query per
relation for the whole page (at most 200 rows), each starting from
`visible_to(user)` (a many-to-many relation reads the page's links first, then
checks only their targets, and checks nothing when the page has no link). Checking in the page query instead (a correlated EXISTS per
relation in the SELECT list) costs more: the subqueries are built and compiled
into every list query, and PostgreSQL may size them by the rows before LIMIT.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Model

from dialogue.querysets import visible_rows


@dataclass(frozen=True)
class Related:
    """A relation whose ids are shown only where the caller may see the related record.

    `values` copies columns of a visible related record onto the instance, e.g.
    `{"source_organization": "organization__name"}`; for a hidden one they are None.
    """

    name: str
    model: type[Model]
    values: dict[str, str] = field(default_factory=dict)


def mark_visible_related(records: Sequence[Model], user, relations: Sequence[Related]) -> None:
    """Set `<name>_visible` (ForeignKey) or `<name>_visible_ids` (many-to-many) on each record."""
    if not records:
        return
    meta = records[0]._meta
    for relation in relations:
        if meta.get_field(relation.name).many_to_many:
            _mark_many(records, user, relation)
        else:
            _mark_foreign_key(records, user, relation)


def _mark_foreign_key(records, user, relation: Related) -> None:
    attname = f"{relation.name}_id"
    ids = {getattr(record, attname) for record in records} - {None}
    lookups = list(relation.values.values())
    visible = {}
    if ids:
        rows = visible_rows(relation.model, user).filter(pk__in=ids).order_by()
        visible = {row[0]: row[1:] for row in rows.values_list("pk", *lookups)}
    for record in records:
        row = visible.get(getattr(record, attname))
        setattr(record, f"{relation.name}_visible", row is not None)
        for position, attribute in enumerate(relation.values):
            setattr(record, attribute, row[position] if row is not None else None)


def _mark_many(records, user, relation: Related) -> None:
    model_field = records[0]._meta.get_field(relation.name)
    through = model_field.remote_field.through
    source = f"{model_field.m2m_field_name()}_id"
    target = f"{model_field.m2m_reverse_field_name()}_id"
    links = list(
        through.objects.filter(**{f"{source}__in": [record.pk for record in records]})
        .order_by(source, target)
        .values_list(source, target)
    )
    # The page's links first (an index lookup), then which of their few targets the
    # caller may see: cheaper than joining the links to every visible record.
    targets = {related_id for _, related_id in links}
    rows = visible_rows(relation.model, user)
    if not targets or rows.query.is_empty():
        visible = set()
    elif not rows.query.has_filters():  # no filter: the caller sees every such record
        visible = targets
    else:
        visible = set(rows.filter(pk__in=targets).order_by().values_list("pk", flat=True))
    by_record = defaultdict(list)
    for record_id, related_id in links:
        if related_id in visible:
            by_record[record_id].append(related_id)
    for record in records:
        setattr(record, f"{relation.name}_visible_ids", by_record.get(record.pk, []))
