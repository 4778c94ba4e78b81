"""Reads on plan revisions: the lines a reader may see, and the diff between an edition
and the one before it, as that reader may see it.

A snapshot line is shown under the most restrictive of its marking when the edition
was taken and the live record's visibility now (`readable_items`): a threat raised to
RED after publication leaves the published edition for everyone not named on it.
A diff names other records (a threat's source session and concern, its chokepoints, an
action's threat); each is shown only when the reader may see that record now, otherwise
as `disclosure.HIDDEN`, never as an id. Concern counts pass `disclosure.concern_count_or_none`
before they leave this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from dialogue.disclosure import References, concern_count_or_none, is_hidden, visible_now_condition
from dialogue.enums import Marking
from dialogue.models import (
    ChokepointTechnology,
    Concern,
    Dependency,
    DialogueSession,
    FollowUpAction,
    PlanRevision,
    PlanRevisionItem,
    Threat,
    User,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

Kind = PlanRevisionItem.Kind

# The live record each kind of snapshot line copies.
SNAPSHOT_MODELS = {
    Kind.THREAT: Threat,
    Kind.CHOKEPOINT: ChokepointTechnology,
    Kind.ACTION: FollowUpAction,
    Kind.DEPENDENCY: Dependency,
}
# Snapshot fields that name other records: shown only to readers who may see them now.
REFERENCE_FIELDS = {
    "source_session": DialogueSession,
    "source_concern": Concern,
    "source_threat": Threat,
    "chokepoints": ChokepointTechnology,
    "threats": Threat,
}
LIST_REFERENCE_FIELDS = {"chokepoints", "threats"}


@dataclass
class ItemChange:
    kind: str
    key: str
    sector: str
    change: str  # "added" | "removed" | "changed"
    fields: dict[str, Any] = field(default_factory=dict)  # name -> {"old": …, "new": …}
    data: dict[str, Any] = field(default_factory=dict)
    # The marking the item is read under (`reading_marking`; the previous edition's line
    # for a removed item). A "marking" field change compares the two editions' own markings.
    marking: str = ""
    hidden: list[str] = field(default_factory=list)  # fields with a reference not shown


def _key(item: PlanRevisionItem) -> str:
    if item.object_id is not None:
        return f"{item.kind}:{item.object_id}"
    # Concern counts per sector × code; referral counts per sector × status.
    cell = item.data.get("category") or item.data.get("status")
    return f"{item.kind}:{item.data.get('sector')}:{cell}"


def previous_revision(revision: PlanRevision) -> PlanRevision | None:
    return PlanRevision.objects.filter(number__lt=revision.number).order_by("-number").first()


def allowed_markings(max_marking: str | None) -> list[str] | None:
    return Marking.up_to(max_marking) if max_marking else None


def readable_items(
    user: User, *, revision: PlanRevision | None = None, max_marking: str | None = None
) -> QuerySet[PlanRevisionItem]:
    """Snapshot lines `user` may read: by the line's marking then and its record's now."""
    allowed = allowed_markings(max_marking)
    items = PlanRevisionItem.objects.visible_to(user)
    if allowed is not None:
        items = items.filter(marking__in=allowed)
    for kind, model in SNAPSHOT_MODELS.items():
        items = items.filter(~Q(kind=kind) | visible_now_condition(user, model, markings=allowed))
    if revision is not None:
        items = items.filter(revision=revision)
    return items


def referenced_ids(
    items: QuerySet[PlanRevisionItem], kinds: list[str], key: str
) -> QuerySet[PlanRevisionItem, dict[str, Any]]:
    """A subquery of the ids stored under data[key] in `items` of `kinds`."""
    return (
        items.filter(kind__in=kinds)
        .annotate(referenced_id=Cast(KT(f"data__{key}"), BigIntegerField()))
        .filter(referenced_id__isnull=False)
        .values("referenced_id")
    )


class LiveMarking(TypedDict):
    live_marking: str | None  # None when the record is gone


def with_live_marking(
    items: QuerySet[PlanRevisionItem],
) -> QuerySet[WithAnnotations[PlanRevisionItem, LiveMarking]]:
    """Annotate `live_marking`: the marking now of the record each line copies (None if gone).

    One correlated subquery per kind, in the same query: no query per line.
    """
    whens = [
        When(
            kind=kind,
            then=Subquery(
                model._default_manager.filter(pk=OuterRef("object_id")).values("marking")
            ),
        )
        for kind, model in SNAPSHOT_MODELS.items()
    ]
    return items.annotate(live_marking=Case(*whens, default=Value(None), output_field=CharField()))


def reading_marking(snapshot_marking: str, live_marking: str | None) -> str:
    """The marking a line is read under: the higher of its marking then and its record's now."""
    return Marking.highest([m for m in (snapshot_marking, live_marking) if m]).value


def _raw_diff(
    revision: PlanRevision, previous: PlanRevision | None, items: QuerySet[PlanRevisionItem]
) -> list[ItemChange]:
    items = with_live_marking(items)
    current_items = {_key(i): i for i in items.filter(revision=revision)}
    old_items = {_key(i): i for i in items.filter(revision=previous)} if previous else {}
    for item in [*current_items.values(), *old_items.values()]:
        # live_marking: from with_live_marking's annotate(), which the stubs' type does not carry.
        item.read_as = reading_marking(item.marking, item.live_marking)  # type: ignore[attr-defined]
    changes: list[ItemChange] = []
    for key, item in current_items.items():
        old = old_items.get(key)
        sector = item.data.get("sector", "")
        if old is None:
            changes.append(
                ItemChange(item.kind, key, sector, "added", data=item.data, marking=item.read_as)
            )
            continue
        differing = {
            name: {"old": old.data.get(name), "new": item.data.get(name)}
            for name in sorted(set(item.data) | set(old.data))
            if old.data.get(name) != item.data.get(name)
        }
        if old.marking != item.marking:
            differing["marking"] = {"old": old.marking, "new": item.marking}
        if differing:
            changes.append(
                ItemChange(item.kind, key, sector, "changed", differing, item.data, item.read_as)
            )
    for key, old in old_items.items():
        if key not in current_items:
            changes.append(
                ItemChange(
                    old.kind,
                    key,
                    old.data.get("sector", ""),
                    "removed",
                    data=old.data,
                    marking=old.read_as,
                )
            )
    return changes


def _shown_count(data: dict[str, Any] | None) -> int | None:
    if not data:
        return None  # no line: the same as "fewer than 3"
    return concern_count_or_none(data.get("concerns", 0), data.get("organizations", 0))


def _disclosed_aggregate(change: ItemChange) -> ItemChange | None:
    """A concern count as the reader may learn it; None when nothing they may learn changed."""
    old = None if change.change == "added" else change.data
    new = None if change.change == "removed" else change.data
    if change.change == "changed":
        old = {**change.data, **{name: v["old"] for name, v in change.fields.items()}}
    old_count, new_count = _shown_count(old), _shown_count(new)
    if old_count == new_count:
        return None
    data = {
        "sector": change.data.get("sector", ""),
        "category": change.data.get("category", ""),
        "concerns": old_count if change.change == "removed" else new_count,
    }
    fields = {"concerns": {"old": old_count, "new": new_count}}
    return ItemChange(
        change.kind, change.key, change.sector, change.change, fields, data, change.marking
    )


def _disclosed_item(change: ItemChange, references: References) -> ItemChange | None:
    """References shown as the reader may see them; None when only hidden ones changed."""

    def shown(name: str, value: Any) -> Any:
        model = REFERENCE_FIELDS.get(name)
        return value if model is None else references.shown(model, value)

    data = {name: shown(name, value) for name, value in change.data.items()}
    fields: dict[str, Any] = {}
    for name, values in change.fields.items():
        old, new = shown(name, values["old"]), shown(name, values["new"])
        if old != new:
            fields[name] = {"old": old, "new": new}
    if change.change == "changed" and not fields:
        return None
    hidden = sorted(
        {name for name, value in data.items() if is_hidden(value)}
        | {name for name, v in fields.items() if is_hidden(v["old"]) or is_hidden(v["new"])}
    )
    return ItemChange(
        change.kind, change.key, change.sector, change.change, fields, data, change.marking, hidden
    )


def plan_revision_diff(
    revision: PlanRevision, user: User, *, max_marking: str | None = None
) -> list[ItemChange]:
    """What was added, removed or changed since the previous revision, as `user` may see it.

    Both revisions are read through `readable_items` (with `max_marking`, e.g. GREEN
    for an export circulated more widely, only lines up to that marking); references
    to other records are resolved for `user` in one query per referenced model, and
    concern counts go through the k ≥ 3 rule.
    """
    allowed = allowed_markings(max_marking)
    items = readable_items(user, max_marking=max_marking)
    previous = previous_revision(revision)
    changes = _raw_diff(revision, previous, items)
    # Concerns are never cited in an export capped for wider circulation (plan_sources.py).
    references = References(user, markings=allowed, never=[Concern] if allowed else [])
    # One query per referenced model whatever the number of changes: single references
    # as every id the two editions name; lists (chokepoints) from the changes, with the
    # chokepoints of the editions' threats so the query is the same for no change.
    both = items.filter(revision__in=[revision.pk, *([previous.pk] if previous else [])])
    for name, model in REFERENCE_FIELDS.items():
        if name in LIST_REFERENCE_FIELDS:
            for change in changes:
                references.want(model, change.data.get(name))
                if name in change.fields:
                    references.want(model, change.fields[name]["old"])
        else:
            references.want(model, referenced_ids(both, list(SNAPSHOT_MODELS), name))
    threat_links = Threat.chokepoints.through.objects.filter(
        threat_id__in=both.filter(kind=Kind.THREAT).values("object_id")
    )
    references.want(ChokepointTechnology, threat_links.values("chokepointtechnology_id"))
    references.resolve()
    disclosed = []
    for change in changes:
        if change.kind == Kind.REFERRAL_AGGREGATE:
            # Referral counts are read in their own sheet, through the k ≥ 3 rule; a
            # change between two small counts would tell what the counts hide.
            continue
        if change.kind == Kind.CONCERN_AGGREGATE:
            shown = _disclosed_aggregate(change)
        else:
            shown = _disclosed_item(change, references)
        if shown is not None:
            disclosed.append(shown)
    return sorted(disclosed, key=lambda c: (c.sector, c.kind, c.change, c.key))
