"""SeedRun, the state one seed_demo run shares, and the idempotent row and link helpers."""

from __future__ import annotations

from dialogue.models import Sector, ThreatCategory


class SeedRun:
    """One seed_demo run: the reference rows it needs and how many rows it has created."""

    def __init__(self, sectors: dict[str, Sector], codes: dict[str, ThreatCategory]):
        self.sectors = sectors
        self.codes = codes
        self.created = 0

    def get_or_create(self, model, defaults=None, **lookup):
        instance, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        self.created += created
        return instance


def add_missing(manager, *objects) -> None:
    """Add only the missing links: even an empty add() is recorded by the m2m history."""
    present = set(manager.values_list("pk", flat=True))
    missing = [obj for obj in objects if obj.pk not in present]
    if missing:
        manager.add(*missing)
