"""Load the reference data in fixtures/ idempotently: a second run changes nothing."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction

from dialogue.enums import Marking
from dialogue.models import (
    BestPractice,
    ChokepointTechnology,
    Dependency,
    ForeignMeasure,
    Forum,
    Sector,
    SupportOrganization,
    SupportScheme,
    ThreatCategory,
)

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"

_M = TypeVar("_M", bound=models.Model)


@dataclass
class LoadReport:
    counts: Counter[tuple[str | None, str]] = field(default_factory=Counter)

    def add(self, model: type[models.Model], outcome: str) -> None:
        self.counts[(model._meta.model_name, outcome)] += 1

    @property
    def changed(self) -> int:
        return sum(n for (_, outcome), n in self.counts.items() if outcome != "unchanged")


def _read(name: str, directory: Path) -> list[dict[str, Any]]:
    with (directory / name).open(encoding="utf-8") as handle:
        rows: list[dict[str, Any]] = json.load(handle)
    return rows


def _upsert(
    model: type[_M], report: LoadReport, lookup: dict[str, Any], values: dict[str, Any]
) -> _M:
    """Create or update one row, saving only when a value differs (no empty history rows)."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance.save()
        report.add(model, "created")
        return instance
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.full_clean()
        instance.save(update_fields=changed)
        report.add(model, "updated")
    else:
        report.add(model, "unchanged")
    return instance


def _set_m2m(
    instance: models.Model, field_name: str, targets: list[Any], report: LoadReport
) -> None:
    manager = getattr(instance, field_name)
    wanted = {t.pk for t in targets}
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(targets)
        report.add(type(instance), "links updated")


def _check_measure_scope(row: dict[str, Any]) -> None:
    """A measure linked to no sector would reach no company: the fixture must name its
    sectors or say that it affects all of them, never both."""
    if bool(row["sectors"]) == bool(row["affects_all_sectors"]):
        raise ValueError(
            f"foreign measure {row['key']}: give either its sectors or affects_all_sectors"
        )


@transaction.atomic
def reference_data_load(*, directory: Path = FIXTURES_DIR) -> LoadReport:
    report = LoadReport()

    sectors: dict[str, Sector] = {}
    # Domains first so that sectors can point at their parent.
    rows = sorted(_read("sectors.json", directory), key=lambda r: r["parent"] is not None)
    for row in rows:
        sectors[row["code"]] = _upsert(
            Sector,
            report,
            {"code": row["code"]},
            {
                "kind": row["kind"],
                "parent": sectors[row["parent"]] if row["parent"] else None,
                "name_ja": row["name_ja"],
                "name_en": row["name_en"],
                "designated_critical_product": row["designated_critical_product"],
                "sort_order": row["sort_order"],
            },
        )

    categories: dict[str, ThreatCategory] = {}
    rows = sorted(_read("threat_categories.json", directory), key=lambda r: r["parent"] is not None)
    for row in rows:
        categories[row["code"]] = _upsert(
            ThreatCategory,
            report,
            {"code": row["code"]},
            {
                "parent": categories[row["parent"]] if row["parent"] else None,
                "name_ja": row["name_ja"],
                "name_en": row["name_en"],
                "description_ja": row.get("description_ja", ""),
                "description_en": row.get("description_en", ""),
                "sort_order": row["sort_order"],
            },
        )

    for row in _read("best_practices.json", directory):
        practice = _upsert(
            BestPractice,
            report,
            {"number": row["number"]},
            {
                "title_ja": row["title_ja"],
                "title_en": row["title_en"],
                "description_ja": row.get("description_ja", ""),
                "description_en": row.get("description_en", ""),
            },
        )
        _set_m2m(
            practice, "threat_categories", [categories[c] for c in row["threat_categories"]], report
        )

    for row in _read("foreign_measures.json", directory):
        _check_measure_scope(row)
        measure = _upsert(
            ForeignMeasure,
            report,
            {"reference_key": row["key"]},
            {
                "country_code": row["country_code"],
                "kind": row["kind"],
                "title_ja": row["title_ja"],
                "title_en": row["title_en"],
                "description_ja": row.get("description_ja", ""),
                "description_en": row.get("description_en", ""),
                "effective_on": date.fromisoformat(row["effective_on"])
                if row["effective_on"]
                else None,
                "effective_precision": row["effective_precision"],
                "status": row["status"],
                "affects_all_sectors": row["affects_all_sectors"],
                "marking": Marking.CLEAR,
            },
        )
        _set_m2m(measure, "sectors", [sectors[c] for c in row["sectors"]], report)
        _set_m2m(
            measure, "threat_categories", [categories[c] for c in row["threat_categories"]], report
        )

    for row in _read("chokepoints.json", directory):
        share = row.get("world_share_pct")
        _upsert(
            ChokepointTechnology,
            report,
            {"reference_key": row["key"]},
            {
                "name": row["name"],
                "description": row.get("description", ""),
                "sector": sectors[row["sector"]],
                "stage": row["stage"],
                "holders": row.get("holders", ""),
                "world_share_pct": Decimal(str(share)).quantize(Decimal("0.01"))
                if share is not None
                else None,
                "outflow_concern": row["outflow_concern"],
                "like_minded_holders": row.get("like_minded_holders", ""),
                "marking": row.get("marking", Marking.CLEAR),
            },
        )
    dependency_reference_load(directory=directory, report=report, sectors=sectors)
    forums_load(report=report, directory=directory)
    support_catalogue_load(directory=directory, report=report)
    return report


def dependency_reference_load(
    *, directory: Path, report: LoadReport, sectors: dict[str, Sector]
) -> None:
    """The dependency figures the action plan itself states, each with its source passage.

    They are public (CLEAR): the plan is a published document."""
    path = directory / "dependencies.json"
    if not path.exists():
        return
    for row in _read("dependencies.json", directory):
        _upsert(
            Dependency,
            report,
            {"reference_key": row["key"]},
            {
                "product": row["product"],
                "hs_code": row.get("hs_code", ""),
                "sector": sectors[row["sector"]],
                "stage": row["stage"],
                "country": row["country"],
                "share_pct": Decimal(str(row["share_pct"])).quantize(Decimal("0.01")),
                "basis": row["basis"],
                "year": row["year"],
                "precision": row["precision"],
                "source": row["source"],
                "source_passage": row.get("source_passage", ""),
                "marking": row.get("marking", Marking.CLEAR),
            },
        )


def forums_load(*, report: LoadReport, directory: Path = FIXTURES_DIR) -> None:
    """The plan's international forums, each with its counterparts and standing agenda.
    The officials responsible for a forum are assigned in the workspace, never here."""
    for row in _read("forums.json", directory):
        _upsert(
            Forum,
            report,
            {"code": row["code"]},
            {
                "name_ja": row["name_ja"],
                "name_en": row["name_en"],
                "counterpart_countries": row["counterpart_countries"],
                "standing_agenda_ja": row.get("standing_agenda_ja", ""),
                "standing_agenda_en": row.get("standing_agenda_en", ""),
                "sort_order": row["sort_order"],
            },
        )


# --- the support catalogue (支援機関・支援策) ---------------------------------------------


def _support_entry_values(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "name_ja": row["name_ja"],
        "name_en": row["name_en"],
        "description_ja": row.get("description_ja", ""),
        "description_en": row.get("description_en", ""),
        "company_sizes": row.get("company_sizes", []),
        "contact": row.get("contact", ""),
    }


def _support_entry_links(entry: models.Model, row: dict[str, Any], report: LoadReport) -> None:
    sectors = list(Sector.objects.filter(code__in=row["sectors"]))
    categories = list(ThreatCategory.objects.filter(code__in=row["threat_categories"]))
    if len(sectors) != len(set(row["sectors"])) or len(categories) != len(
        set(row["threat_categories"])
    ):
        raise ValueError(f"unknown sector or threat code in support entry {row['key']}")
    _set_m2m(entry, "sectors", sectors, report)
    _set_m2m(entry, "threat_categories", categories, report)


def support_catalogue_load(*, directory: Path, report: LoadReport) -> None:
    """Support organizations, then the schemes and tools they run (the plan's own lists)."""
    organizations: dict[str, SupportOrganization] = {}
    for row in _read("support_organizations.json", directory):
        organization = _upsert(
            SupportOrganization,
            report,
            {"reference_key": row["key"]},
            {**_support_entry_values(row), "abbreviation": row.get("abbreviation", "")},
        )
        _support_entry_links(organization, row, report)
        organizations[row["key"]] = organization
    for row in _read("support_schemes.json", directory):
        scheme = _upsert(
            SupportScheme,
            report,
            {"reference_key": row["key"]},
            {
                **_support_entry_values(row),
                "organization": organizations[row["organization"]],
                "support_kinds": row.get("support_kinds", []),
            },
        )
        _support_entry_links(scheme, row, report)
