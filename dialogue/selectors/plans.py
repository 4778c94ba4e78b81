"""Reads on plan revisions: the diff between an edition and the one before it."""

from __future__ import annotations

from dataclasses import dataclass, field

from dialogue.enums import Marking
from dialogue.models import PlanRevision, PlanRevisionItem, User


@dataclass
class ItemChange:
    kind: str
    key: str
    sector: str
    change: str  # "added" | "removed" | "changed"
    fields: dict = field(default_factory=dict)  # name -> {"old": …, "new": …}
    data: dict = field(default_factory=dict)
    marking: str = ""  # the item's marking (the previous one for a removed item)


def _key(item: PlanRevisionItem) -> str:
    if item.object_id is not None:
        return f"{item.kind}:{item.object_id}"
    return f"{item.kind}:{item.data.get('sector')}:{item.data.get('category')}"


def previous_revision(revision: PlanRevision) -> PlanRevision | None:
    return PlanRevision.objects.filter(number__lt=revision.number).order_by("-number").first()


def plan_revision_diff(
    revision: PlanRevision, user: User, *, max_marking: str | None = None
) -> list[ItemChange]:
    """What was added, removed or changed since the previous revision, within what `user` may see.

    With `max_marking` (e.g. GREEN, for an export circulated more widely) both
    revisions are compared as that reader sees them: only items up to that marking.
    """
    previous = previous_revision(revision)
    visible = PlanRevisionItem.objects.visible_to(user)
    if max_marking is not None:
        visible = visible.filter(marking__in=Marking.up_to(max_marking))
    current_items = {_key(i): i for i in visible.filter(revision=revision)}
    old_items = {_key(i): i for i in visible.filter(revision=previous)} if previous else {}
    changes: list[ItemChange] = []
    for key, item in current_items.items():
        old = old_items.get(key)
        if old is None:
            changes.append(
                ItemChange(
                    item.kind,
                    key,
                    item.data.get("sector", ""),
                    "added",
                    data=item.data,
                    marking=item.marking,
                )
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
                ItemChange(
                    item.kind,
                    key,
                    item.data.get("sector", ""),
                    "changed",
                    differing,
                    item.data,
                    item.marking,
                )
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
                    marking=old.marking,
                )
            )
    return sorted(changes, key=lambda c: (c.sector, c.kind, c.change, c.key))
