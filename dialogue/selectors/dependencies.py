"""Reads of the dependency register: the sector × supplier-country map, a product's shares
over the years, and the threats, concerns and chokepoints linked beside the numbers
(the plan's 「定量と定性」 on one screen).

Everything starts from `Dependency.objects.visible_to(user)`; linked records are named
only when the reader may see them, and linked concerns are only ever counted, behind
at least K_ANONYMITY organizations (dialogue.disclosure), never listed here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from dialogue.countries import country_name
from dialogue.disclosure import concern_count
from dialogue.enums import Marking, ShareBasis, SupplyChainStage
from dialogue.exports.charts import (
    Matrix,
    MatrixCell,
    ShareBars,
    matrix_svg,
    series_from_rows,
    share_bars_svg,
)
from dialogue.models import ChokepointTechnology, Concern, Dependency, Sector, Threat, User

# A product: its sector, its name, its HS code and what its shares are shares of.
ProductKey = tuple[str, str, str, str]


def dependency_threshold() -> Decimal:
    return Decimal(settings.DEPENDENCY_THRESHOLD_PERCENT)


def is_dependent(share: Decimal | None, threshold: Decimal | None = None) -> bool:
    """特定国依存 (single-country dependency): one country's share reaches the threshold."""
    return share is not None and share >= (
        threshold if threshold is not None else dependency_threshold()
    )


def dependency_chart_labels(threshold: Decimal | None = None) -> dict[str, str]:
    """The map's title, description and legend, in the active language (pages and PDF)."""
    threshold = threshold if threshold is not None else dependency_threshold()
    return {
        "title": str(_("Dependency map: sector × supplier country")),
        "description": str(
            _(
                "Highest share of each supplier country among each sector's products, "
                "latest year; a red dot marks a single-country dependency (%(threshold)s %% "
                "or more)."
            )
            % {"threshold": threshold}
        ),
        "flag_label": str(
            _("Single-country dependency: one country's share is %(threshold)s %% or more")
            % {"threshold": threshold}
        ),
    }


@dataclass(frozen=True)
class LinkedRecord:
    pk: int
    label: str


@dataclass
class ProductLine:
    """One product on the map: its latest year, its suppliers then, and what is linked."""

    sector: str
    sector_name: str
    product: str
    hs_code: str
    basis: str
    stage: str
    latest_year: int
    years: list[int]
    shares: list[tuple[str, str, Decimal]]  # (code, name, share) in the latest year, largest first
    precision: str
    threats: list[LinkedRecord] = field(default_factory=list)
    chokepoints: list[LinkedRecord] = field(default_factory=list)
    concerns: int | str = ""
    dependent_on: list[str] = field(default_factory=list)  # countries at or over the threshold

    @property
    def key(self) -> ProductKey:
        return (self.sector, self.product, self.hs_code, self.basis)

    @property
    def top(self) -> tuple[str, str, Decimal] | None:
        return self.shares[0] if self.shares else None

    @property
    def flagged(self) -> bool:
        return bool(self.dependent_on)

    @property
    def stage_label(self) -> str:
        return str(SupplyChainStage(self.stage).label) if self.stage else ""

    @property
    def basis_label(self) -> str:
        return str(ShareBasis(self.basis).label)

    def query(self) -> dict[str, str]:
        return {
            "sector": self.sector,
            "product": self.product,
            "hs_code": self.hs_code,
            "basis": self.basis,
        }


@dataclass
class MapCell:
    share: Decimal | None
    flagged: bool
    product: str = ""
    year: int | None = None


@dataclass
class DependencyMap:
    threshold: Decimal
    sectors: list[tuple[str, str]]  # (code, name)
    countries: list[tuple[str, str]]  # (code, name)
    cells: dict[tuple[str, str], MapCell]
    products: list[ProductLine]
    marking: str

    def rows(self) -> list[dict[str, Any]]:
        """The matrix as rows for the data table beside the chart."""
        return [
            {
                "code": code,
                "name": name,
                "cells": [self.cells.get((code, c)) for c, _n in self.countries],
            }
            for code, name in self.sectors
        ]

    def svg(self, *, font_family: str | None = None) -> str:
        labels = dependency_chart_labels(self.threshold)
        matrix = Matrix(
            title=labels["title"],
            description=labels["description"],
            rows=[name for _code, name in self.sectors],
            columns=[name for _code, name in self.countries],
            cells={
                (i, j): MatrixCell(cell.share, cell.flagged)
                for i, (sector, _s) in enumerate(self.sectors)
                for j, (country, _c) in enumerate(self.countries)
                if (cell := self.cells.get((sector, country))) is not None
            },
            flag_label=labels["flag_label"],
        )
        return matrix_svg(matrix, **({"font_family": font_family} if font_family else {}))


def _scoped(
    user: User, *, sector: str = "", basis: str = "", product: str = "", hs_code: str | None = None
) -> QuerySet[Dependency]:
    rows = Dependency.objects.visible_to(user)
    if sector:
        rows = rows.filter(Q(sector__code=sector) | Q(sector__parent__code=sector))
    if basis:
        rows = rows.filter(basis=basis)
    if product:
        rows = rows.filter(product=product)
    if hs_code is not None:
        rows = rows.filter(hs_code=hs_code)
    return rows


def _linked(
    user: User, visible: QuerySet[Dependency], name: str, model: type[Any], label: str
) -> dict[ProductKey, list[LinkedRecord]]:
    """Per product, the linked records of `model` the reader may see: one query."""
    through = Dependency._meta.get_field(name).remote_field.through  # type: ignore[union-attr]
    target = f"{model._meta.model_name}"
    rows = (
        through._default_manager.filter(
            dependency__in=visible.values("pk"),
            **{f"{target}__in": model.objects.visible_to(user).values("pk")},
        )
        .values_list(
            "dependency__sector__code",
            "dependency__product",
            "dependency__hs_code",
            "dependency__basis",
            f"{target}_id",
            f"{target}__{label}",
        )
        .distinct()
        .order_by(f"{target}__{label}")
    )
    linked: dict[ProductKey, list[LinkedRecord]] = defaultdict(list)
    for sector, product, hs_code, basis, pk, text in rows:
        record = LinkedRecord(pk, text)
        key = (sector, product, hs_code, basis)
        if record not in linked[key]:
            linked[key].append(record)
    return linked


def _concern_counts(user: User, visible: QuerySet[Dependency]) -> dict[ProductKey, tuple[int, int]]:
    """Per product, linked concerns and the organizations behind them (never RED, and only
    concerns the reader may see): one query."""
    through = Dependency.concerns.through
    rows = (
        through._default_manager.filter(
            dependency__in=visible.values("pk"),
            concern__in=Concern.objects.visible_to(user).exclude(marking=Marking.RED).values("pk"),
        )
        .values(
            "dependency__sector__code",
            "dependency__product",
            "dependency__hs_code",
            "dependency__basis",
        )
        .annotate(
            concerns=Count("concern", distinct=True),
            organizations=Count("concern__organization", distinct=True),
        )
        .order_by()
    )
    return {
        (
            row["dependency__sector__code"],
            row["dependency__product"],
            row["dependency__hs_code"],
            row["dependency__basis"],
        ): (row["concerns"], row["organizations"])
        for row in rows
    }


def dependency_map(
    *, user: User, sector: str = "", basis: str = "", year: int | None = None
) -> DependencyMap:
    """The map as `user` may see it: per product its latest year (or `year`), per sector ×
    country the highest share among the sector's products, flagged at the threshold."""
    threshold = dependency_threshold()
    visible = _scoped(user, sector=sector, basis=basis)
    if year is not None:
        visible = visible.filter(year=year)
    rows = list(
        visible.order_by("sector__sort_order", "sector__code", "product", "year").values_list(
            "sector__code",
            "sector__name_ja",
            "sector__name_en",
            "product",
            "hs_code",
            "basis",
            "stage",
            "country",
            "year",
            "share_pct",
            "precision",
            "marking",
        )
    )
    use_en = (translation.get_language() or "ja")[:2] == "en"
    products: dict[ProductKey, dict[str, Any]] = {}
    sector_names: dict[str, str] = {}
    markings: set[str] = set()
    for (
        code,
        name_ja,
        name_en,
        product,
        hs,
        basis_,
        stage,
        country,
        yr,
        share,
        precision,
        marking,
    ) in rows:
        sector_names[code] = (name_en if use_en and name_en else name_ja) or code
        markings.add(marking)
        entry = products.setdefault(
            (code, product, hs, basis_),
            {"years": defaultdict(dict), "stage": stage, "precision": precision},
        )
        entry["years"][yr][country] = share
    lines: list[ProductLine] = []
    cells: dict[tuple[str, str], MapCell] = {}
    country_max: dict[str, Decimal] = defaultdict(Decimal)
    threats = _linked(user, visible, "threats", Threat, "title")
    chokepoints = _linked(user, visible, "chokepoints", ChokepointTechnology, "name")
    concerns = _concern_counts(user, visible)
    for key, entry in products.items():
        code, product, hs, basis_ = key
        latest = max(entry["years"])
        shares = sorted(entry["years"][latest].items(), key=lambda item: -item[1])
        line = ProductLine(
            sector=code,
            sector_name=sector_names[code],
            product=product,
            hs_code=hs,
            basis=basis_,
            stage=entry["stage"],
            latest_year=latest,
            years=sorted(entry["years"]),
            shares=[(c, country_name(c), s) for c, s in shares],
            precision=entry["precision"],
            threats=threats.get(key, []),
            chokepoints=chokepoints.get(key, []),
            dependent_on=[country_name(c) for c, s in shares if is_dependent(s, threshold)],
        )
        counted = concerns.get(key)
        line.concerns = concern_count(*counted) if counted else ""
        lines.append(line)
        for country, share in shares:
            country_max[country] = max(country_max[country], share)
            cell = cells.get((code, country))
            if cell is None or (cell.share or 0) < share:
                cells[(code, country)] = MapCell(
                    share, is_dependent(share, threshold), product, latest
                )
    countries = sorted(country_max, key=lambda c: (-country_max[c], c))
    return DependencyMap(
        threshold=threshold,
        sectors=list(sector_names.items()),
        countries=[(c, country_name(c)) for c in countries],
        cells=cells,
        products=lines,
        marking=Marking.highest(markings) if markings else "",
    )


@dataclass
class ProductChart:
    line: ProductLine
    table: list[dict[str, Any]]  # per country: name, shares per year
    threshold: Decimal
    marking: str
    dependencies: list[Dependency]

    def svg(self, *, font_family: str | None = None) -> str:
        line = self.line
        rows = [
            (row["name"], year, share)
            for row in self.table
            for year, share in zip(line.years, row["shares"], strict=True)
            if share is not None
        ]
        chart = ShareBars(
            title=str(_("%(product)s: shares by supplier country") % {"product": line.product}),
            description=str(
                _(
                    "%(basis)s, %(first)d–%(last)d; the dashed line is the threshold of a "
                    "single-country dependency."
                )
                % {"basis": line.basis_label, "first": line.years[0], "last": line.years[-1]}
            ),
            years=line.years,
            series=series_from_rows(rows, others=str(_("Other countries"))),
            threshold=self.threshold,
            threshold_label=str(
                _("Single-country dependency %(threshold)s%%") % {"threshold": self.threshold}
            ),
        )
        return share_bars_svg(chart, **({"font_family": font_family} if font_family else {}))


def product_chart(
    *,
    user: User,
    sector: str,
    product: str,
    hs_code: str = "",
    basis: str = ShareBasis.JAPAN_IMPORTS,
) -> ProductChart | None:
    """One product's shares by country over the years, with what is linked to it; None when
    the reader sees no figure of it."""
    visible = _scoped(user, sector=sector, basis=basis, product=product, hs_code=hs_code).filter(
        sector__code=sector
    )
    mapped = dependency_map(user=user, sector=sector, basis=basis)
    line = next((p for p in mapped.products if p.key == (sector, product, hs_code, basis)), None)
    if line is None:
        return None
    dependencies = list(visible.select_related("sector").order_by("year", "-share_pct", "country"))
    by_country: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for dependency in dependencies:
        by_country[dependency.country][dependency.year] = dependency.share_pct
    ranked = sorted(by_country.items(), key=lambda item: -max(item[1].values()))
    table: list[dict[str, Any]] = [
        {
            "code": code,
            "name": country_name(code),
            "shares": [values.get(year) for year in line.years],
            "flags": [is_dependent(values.get(year), mapped.threshold) for year in line.years],
        }
        for code, values in ranked
    ]
    for row in table:
        row["pairs"] = list(zip(row["shares"], row["flags"], strict=True))
    return ProductChart(
        line=line,
        table=table,
        threshold=mapped.threshold,
        marking=Marking.highest({d.marking for d in dependencies}),
        dependencies=dependencies,
    )


def sector_choices_with_dependencies(user: User) -> list[tuple[str, str]]:
    codes = Dependency.objects.visible_to(user).values("sector")
    return [
        (s.code, s.name) for s in Sector.objects.filter(pk__in=codes).order_by("sort_order", "code")
    ]
