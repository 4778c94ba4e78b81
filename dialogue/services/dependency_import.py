"""Importing dependency figures from a file: check every row, then save all or nothing.

Two layouts (docs/dependencies.md), told apart by their columns:

- trade statistics (`value` column): import values by HS code × country × year, as the
  trade statistics publish them; each country's share is its value over the total of
  that product and year in the file, a share of Japan's imports, precision "statistics";
- a share table (`share_pct` column): product × country × share per year, from any
  source (a hearing, a study, an estimate).

Every row is checked before anything is written, and every problem is reported with its
row number; one error and nothing is saved. A dry run returns what an import would do
(new figures, changed figures, figures already as in the file) without writing. Running
the same file again changes nothing: a figure is identified by its sector, product, HS
code, country, year and basis.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from dialogue.countries import country_name
from dialogue.enums import FigurePrecision, Marking, ShareBasis, SupplyChainStage
from dialogue.models import Dependency, Sector, User
from dialogue.permissions import can_manage_sector
from dialogue.services.dependency_files import (
    FileRefused,
    ImportOutcome,
    RawRow,
    RowError,
    check_cells,
    read_rows,
)
from dialogue.validators import (
    normalize_hs_code,
    validate_country_code,
    validate_hs_code,
)

TRADE = "trade"
SHARES = "shares"
CENT = Decimal("0.01")

# Column keys and the headers that name them (English keys, then Japanese headers).
COLUMNS: dict[str, tuple[str, ...]] = {
    "sector": ("sector", "分野", "分野コード"),
    "product": ("product", "品目", "物資"),
    "hs_code": ("hs_code", "hs", "HSコード", "統計品目番号"),
    "stage": ("stage", "段階"),
    "country": ("country", "国", "国コード"),
    "year": ("year", "年"),
    "value": ("value", "輸入額", "金額"),
    "share_pct": ("share_pct", "share", "シェア", "シェア(%)"),
    "basis": ("basis", "基準"),
    "precision": ("precision", "精度"),
    "source": ("source", "出典"),
    "source_passage": ("source_passage", "出典の記述"),
}
REQUIRED = {
    TRADE: ("sector", "product", "hs_code", "stage", "country", "year", "value", "source"),
    SHARES: ("sector", "product", "stage", "country", "year", "share_pct", "source"),
}
TEXT_LIMITS = {"product": 200, "source": 300, "source_passage": 5000}
# The fields an import sets on a figure that exists already (never its marking or links).
UPDATED_FIELDS = ("stage", "share_pct", "import_value", "source", "source_passage", "precision")

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"

Key = tuple[int, str, str, str, int, str]  # sector id, product, hs code, country, year, basis


@dataclass(frozen=True)
class PlannedChange:
    row: int
    action: str  # create, update or unchanged
    sector: str
    product: str
    hs_code: str
    country: str
    country_name: str
    year: int
    basis: str
    share_pct: Decimal
    previous_share_pct: Decimal | None = None


@dataclass
class ImportReport(ImportOutcome):
    """The dependency import's outcome: the file's layout and the figures' changes."""

    layout: str = ""
    changes: list[PlannedChange] = field(default_factory=list)

    def planned(self) -> list[PlannedChange]:
        return self.changes


@dataclass
class _Row:
    number: int
    sector: Sector
    product: str
    hs_code: str
    stage: str
    country: str
    year: int
    basis: str
    precision: str
    source: str
    source_passage: str
    value: Decimal | None = None
    share_pct: Decimal | None = None

    @property
    def key(self) -> Key:
        return (self.sector.pk, self.product, self.hs_code, self.country, self.year, self.basis)

    @property
    def group(self) -> tuple[int, str, str, int, str]:
        return (self.sector.pk, self.product, self.hs_code, self.year, self.basis)


def _number(text: str) -> Decimal | None:
    try:
        number = Decimal(text.replace(",", "").replace("%", "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


class _RowChecker:
    """Turns a raw row into a checked row, or adds its errors."""

    def __init__(self, actor: User, layout: str, errors: list[RowError]):
        self.actor = actor
        self.layout = layout
        self.errors = errors
        self.sectors = {s.code: s for s in Sector.objects.all()}
        self._may_manage: dict[int, bool] = {}
        self.this_year = timezone.localdate().year

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row=row, column=column, message=message))

    def check(self, raw: RawRow) -> _Row | None:
        before = len(self.errors)
        check_cells(raw, REQUIRED[self.layout], TEXT_LIMITS, self.errors)
        if len(self.errors) > before:
            return None
        row = self._checked(raw.number, raw.cells)
        return row if len(self.errors) == before else None

    def _checked(self, n: int, cells: dict[str, str]) -> _Row | None:
        sector = self.sectors.get(cells["sector"].strip())
        if sector is None:
            self.error(
                n, "sector", _("Unknown sector code “%(code)s”.") % {"code": cells["sector"]}
            )
        elif not self._manages(sector):
            self.error(n, "sector", _("You can import figures only for your own sectors."))
        hs_code = normalize_hs_code(cells.get("hs_code", ""))
        if hs_code:
            try:
                validate_hs_code(hs_code)
            except ValidationError as error:
                self.error(n, "hs_code", error.messages[0])
        country = cells["country"].strip().upper()
        try:
            validate_country_code(country)
        except ValidationError as error:
            self.error(n, "country", error.messages[0])
        stage = cells["stage"].strip().lower()
        if stage not in SupplyChainStage.values:
            self.error(n, "stage", _("The stage is upstream, midstream or downstream."))
        year = cells["year"].strip()
        if not (year.isascii() and year.isdigit() and 1950 <= int(year) <= self.this_year):
            self.error(
                n,
                "year",
                _("The year is a four-digit year from 1950 to %(year)d.")
                % {"year": self.this_year},
            )
        basis = self._choice(n, cells, "basis", ShareBasis, ShareBasis.JAPAN_IMPORTS)
        default_precision = (
            FigurePrecision.STATISTICS if self.layout == TRADE else FigurePrecision.ESTIMATE
        )
        precision = self._choice(n, cells, "precision", FigurePrecision, default_precision)
        if self.layout == TRADE and basis != ShareBasis.JAPAN_IMPORTS:
            self.error(n, "basis", _("Trade statistics give shares of Japan's imports."))
        value = share = None
        if self.layout == TRADE:
            value = _number(cells["value"])
            if value is None or value < 0:
                self.error(n, "value", _("The import value is a number of at least 0."))
        else:
            share = _number(cells["share_pct"])
            if share is None:
                self.error(n, "share_pct", _("The share is a number from 0 to 100."))
            elif not 0 <= share <= 100:
                self.error(
                    n,
                    "share_pct",
                    _("The share %(share)s is outside 0–100.") % {"share": cells["share_pct"]},
                )
        if sector is None or stage not in SupplyChainStage.values:
            return None
        return _Row(
            number=n,
            sector=sector,
            product=cells["product"].strip(),
            hs_code=hs_code,
            stage=stage,
            country=country,
            year=int(year) if year.isdigit() else 0,
            basis=basis,
            precision=precision,
            source=cells["source"].strip(),
            source_passage=cells.get("source_passage", "").strip(),
            value=value,
            share_pct=share.quantize(CENT, ROUND_HALF_UP) if share is not None else None,
        )

    def _choice(
        self,
        n: int,
        cells: dict[str, str],
        column: str,
        choices: type[models.TextChoices],
        default: str,
    ) -> str:
        value = cells.get(column, "").strip().lower()
        if not value:
            return default
        if value not in choices.values:
            self.error(
                n,
                column,
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(choices.values)},
            )
            return default
        return str(value)

    def _manages(self, sector: Sector) -> bool:
        if sector.pk not in self._may_manage:
            self._may_manage[sector.pk] = can_manage_sector(self.actor, sector)
        return self._may_manage[sector.pk]


def _check_duplicates(rows: list[_Row], errors: list[RowError]) -> None:
    first: dict[Key, int] = {}
    for row in rows:
        if row.key in first:
            errors.append(
                RowError(
                    row=row.number,
                    column="country",
                    message=_("The same product, country and year as row %(row)d.")
                    % {"row": first[row.key]},
                )
            )
        else:
            first[row.key] = row.number


def _shares_from_values(rows: list[_Row], errors: list[RowError]) -> None:
    """Trade statistics: each country's share of the product's imports that year."""
    totals: dict[tuple[int, str, str, int, str], Decimal] = defaultdict(Decimal)
    for row in rows:
        totals[row.group] += row.value or Decimal(0)
    for row in rows:
        total = totals[row.group]
        if total <= 0:
            errors.append(
                RowError(
                    row.number,
                    "value",
                    _("The imports of this product in %(year)d add up to 0.") % {"year": row.year},
                )
            )
            continue
        row.share_pct = (Decimal(100) * (row.value or 0) / total).quantize(CENT, ROUND_HALF_UP)


def _check_sums(rows: list[_Row], errors: list[RowError]) -> None:
    """A share table: the countries of one product and year add up to 100 % at most."""
    groups: dict[tuple[int, str, str, int, str], list[_Row]] = defaultdict(list)
    for row in rows:
        groups[row.group].append(row)
    for group in groups.values():
        total = sum((row.share_pct or Decimal(0) for row in group), Decimal(0))
        if total > 100:
            last = group[-1]
            errors.append(
                RowError(
                    last.number,
                    "share_pct",
                    _(
                        "The shares of “%(product)s” in %(year)d add up to %(total)s %% "
                        "(rows %(rows)s); at most 100 %%."
                    )
                    % {
                        "product": last.product,
                        "year": last.year,
                        "total": total,
                        "rows": ", ".join(str(row.number) for row in group),
                    },
                )
            )


def _existing(rows: list[_Row]) -> dict[Key, Dependency]:
    """The figures already recorded for the rows' keys: one query for the whole file."""
    if not rows:
        return {}
    found = Dependency.objects.filter(
        sector__in={row.sector.pk for row in rows},
        product__in={row.product for row in rows},
        year__in={row.year for row in rows},
        country__in={row.country for row in rows},
    ).select_for_update()
    by_key: dict[Key, Dependency] = {}
    for dependency in found:
        key = (
            dependency.sector_id,
            dependency.product,
            dependency.hs_code,
            dependency.country,
            dependency.year,
            dependency.basis,
        )
        by_key[key] = dependency
    return by_key


def _plan(
    rows: Iterable[_Row],
    existing: dict[Key, Dependency],
    visible: set[int],
    errors: list[RowError],
) -> list[PlannedChange]:
    changes = []
    for row in rows:
        current = existing.get(row.key)
        if current is not None and current.pk not in visible:
            errors.append(
                RowError(
                    row.number,
                    "country",
                    _(
                        "This figure is recorded already under a restricted marking; "
                        "ask the people named on it to change it."
                    ),
                )
            )
            continue
        action = CREATE
        if current is not None:
            new = _values(row)
            same = all(getattr(current, name) == new[name] for name in UPDATED_FIELDS)
            action = UNCHANGED if same else UPDATE
        changes.append(
            PlannedChange(
                row=row.number,
                action=action,
                sector=row.sector.code,
                product=row.product,
                hs_code=row.hs_code,
                country=row.country,
                country_name=country_name(row.country),
                year=row.year,
                basis=row.basis,
                share_pct=row.share_pct or Decimal(0),
                previous_share_pct=current.share_pct if current is not None else None,
            )
        )
    return changes


def _values(row: _Row) -> dict[str, object]:
    return {
        "stage": row.stage,
        "share_pct": row.share_pct,
        "import_value": row.value,
        "source": row.source,
        "source_passage": row.source_passage,
        "precision": row.precision,
    }


def _write(actor: User, rows: list[_Row], existing: dict[Key, Dependency], marking: str) -> None:
    by_row = {row.number: row for row in rows}
    created, updated = [], []
    now = timezone.now()
    for row in by_row.values():
        current = existing.get(row.key)
        if current is None:
            created.append(
                Dependency(
                    product=row.product,
                    hs_code=row.hs_code,
                    sector=row.sector,
                    country=row.country,
                    year=row.year,
                    basis=row.basis,
                    marking=marking,
                    created_by=actor,
                    **_values(row),
                )
            )
            continue
        new = _values(row)
        if all(getattr(current, name) == new[name] for name in UPDATED_FIELDS):
            continue
        for name, value in new.items():
            setattr(current, name, value)
        current.version += 1
        current.updated_at = now
        updated.append(current)
    if created:
        bulk_create_with_history(created, Dependency, batch_size=1000, default_user=actor)
    if updated:
        bulk_update_with_history(
            updated,
            Dependency,
            [*UPDATED_FIELDS, "version", "updated_at"],
            batch_size=1000,
            default_user=actor,
        )


def layout_of(columns: list[str]) -> str:
    if "value" in columns:
        return TRADE
    if "share_pct" in columns:
        return SHARES
    return ""


@transaction.atomic
def dependency_import(
    *, actor: User, data: bytes, marking: str = Marking.AMBER, dry_run: bool = True
) -> ImportReport:
    """Check a CSV or XLSX file of figures; unless `dry_run`, save them all (or none).

    The report lists every row's error (then nothing is saved) or every row's planned
    change. `marking` applies to new figures; an existing figure keeps its marking and
    links, and only its share, value, stage, source and precision follow the file.
    """
    report = ImportReport(dry_run=dry_run)
    if marking not in Marking.values:
        report.errors.append(RowError(0, "marking", _("Choose a marking.")))
        return report
    if marking == Marking.RED:
        report.errors.append(
            RowError(0, "marking", _("Imported figures cannot be RED; mark them AMBER+STRICT."))
        )
        return report
    try:
        columns, raw_rows = read_rows(data, COLUMNS)
    except FileRefused as refused:
        report.errors.append(RowError(0, "", refused.message))
        return report
    report.layout = layout_of(columns)
    if not report.layout:
        report.errors.append(
            RowError(
                1,
                "",
                _("The file needs a “value” column (trade statistics) or a “share_pct” column."),
            )
        )
        return report
    missing = [c for c in REQUIRED[report.layout] if c not in columns]
    if missing:
        report.errors.append(
            RowError(1, "", _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        )
        return report
    if not raw_rows:
        report.errors.append(RowError(0, "", _("The file has no rows of figures.")))
        return report
    checker = _RowChecker(actor, report.layout, report.errors)
    rows = [row for raw in raw_rows if (row := checker.check(raw)) is not None]
    _check_duplicates(rows, report.errors)
    if report.layout == TRADE:
        _shares_from_values(rows, report.errors)
    else:
        _check_sums(rows, report.errors)
    if report.errors:
        report.errors.sort(key=lambda e: (e.row, e.column))
        return report
    existing = _existing(rows)
    visible = set(
        Dependency.objects.visible_to(actor)
        .filter(pk__in=[d.pk for d in existing.values()])
        .values_list("pk", flat=True)
    )
    report.changes = _plan(rows, existing, visible, report.errors)
    if report.errors or dry_run:
        report.errors.sort(key=lambda e: (e.row, e.column))
        if report.errors:
            report.changes = []
        return report
    _write(actor, rows, existing, marking)
    return report
