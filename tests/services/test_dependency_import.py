"""Importing dependency figures: every bad row reported with its number, nothing saved on
any error, a dry run that writes nothing, and a second import that changes nothing."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import override_settings

from dialogue.enums import FigurePrecision, Marking, ShareBasis
from dialogue.models import Dependency
from dialogue.services.dependency_import import CREATE, UNCHANGED, UPDATE, dependency_import
from tests import factories as f

pytestmark = pytest.mark.django_db


def imported():
    """Figures other than the reference data's (the plan's own figures are always there)."""
    return Dependency.objects.filter(reference_key=None)


TRADE_HEADER = "sector,product,hs_code,stage,country,year,value,source\n"


def trade_csv(*lines: str) -> bytes:
    return (TRADE_HEADER + "\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def official(semiconductors):
    return f.OfficialFactory(sectors=[semiconductors])


def five_years_of_fluorine() -> bytes:
    lines = []
    for year, china in zip(range(2019, 2024), (40, 45, 52, 58, 63), strict=True):
        lines.append(
            f"semiconductors,高純度フッ化物,2811.11,upstream,CN,{year},{china}000,貿易統計"
        )
        lines.append(
            f"semiconductors,高純度フッ化物,2811.11,upstream,KR,{year},{100 - china}000,貿易統計"
        )
    return trade_csv(*lines)


def test_trade_statistics_become_shares_of_each_years_imports(official):
    report = dependency_import(actor=official, data=five_years_of_fluorine(), dry_run=False)

    assert report.ok and report.saved
    assert report.count(CREATE) == 10
    china_2023 = imported().get(country="CN", year=2023)
    assert china_2023.share_pct == Decimal("63.00")
    assert china_2023.hs_code == "281111"
    assert china_2023.basis == ShareBasis.JAPAN_IMPORTS
    assert china_2023.precision == FigurePrecision.STATISTICS
    assert china_2023.marking == Marking.AMBER
    assert china_2023.history.count() == 1


def test_a_dry_run_reports_the_changes_and_writes_nothing(official):
    report = dependency_import(actor=official, data=five_years_of_fluorine(), dry_run=True)

    assert report.ok and not report.saved
    assert [c.action for c in report.changes] == [CREATE] * 10
    assert report.changes[0].country_name == "中国"
    assert not imported().exists()


def test_importing_the_same_file_again_changes_nothing(official):
    dependency_import(actor=official, data=five_years_of_fluorine(), dry_run=False)

    again = dependency_import(actor=official, data=five_years_of_fluorine(), dry_run=False)

    assert again.ok and again.count(UNCHANGED) == 10
    assert imported().count() == 10
    assert imported().get(country="CN", year=2023).version == 1


def test_a_corrected_figure_is_an_update_with_the_old_share(official):
    dependency_import(actor=official, data=five_years_of_fluorine(), dry_run=False)
    corrected = five_years_of_fluorine().replace(b"KR,2023,37000", b"KR,2023,7000")

    report = dependency_import(actor=official, data=corrected, dry_run=True)

    updates = [c for c in report.changes if c.action == UPDATE]
    assert {(c.country, c.year) for c in updates} == {("CN", 2023), ("KR", 2023)}
    china = next(c for c in updates if c.country == "CN")
    assert china.previous_share_pct == Decimal("63.00")
    assert china.share_pct == Decimal("90.00")


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_saved(official):
    data = (
        "sector,product,hs_code,stage,country,year,share_pct,source\n"
        "semiconductors,フォトレジスト原料,2811.11,upstream,CN,2023,55,ヒアリング\n"  # row 2: fine
        "semiconductors,フォトレジスト原料,9999.99,upstream,TW,2023,10,ヒアリング\n"  # HS chapter
        "semiconductors,フォトレジスト原料,2811.11,upstream,XX,2023,10,ヒアリング\n"  # country
        "semiconductors,フォトレジスト原料,2811.11,upstream,KR,2023,120,ヒアリング\n"  # share
        "semiconductors,フォトレジスト原料,2811.11,upstream,CN,2023,5,ヒアリング\n"  # duplicate
        'semiconductors,=HYPERLINK("x"),2811.11,upstream,US,2023,5,ヒアリング\n'  # formula
    ).encode()

    report = dependency_import(actor=official, data=data, dry_run=False)

    assert not report.ok
    by_row = {(e.row, e.column) for e in report.errors}
    assert (3, "hs_code") in by_row
    assert (4, "country") in by_row
    assert (5, "share_pct") in by_row
    assert (6, "country") in by_row
    assert (7, "product") in by_row
    assert 2 not in {e.row for e in report.errors}
    assert not imported().exists()


def test_shares_of_one_product_and_year_over_100_percent_are_refused(official):
    data = (
        "sector,product,stage,country,year,share_pct,source\n"
        "semiconductors,後工程,downstream,TW,2023,60,推計\n"
        "semiconductors,後工程,downstream,CN,2023,50,推計\n"
    ).encode()

    report = dependency_import(actor=official, data=data, dry_run=False)

    [error] = report.errors
    assert error.row == 3 and "110" in error.message and "2, 3" in error.message
    assert not imported().exists()


def test_a_formula_cell_in_a_workbook_is_refused(official):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["sector", "product", "stage", "country", "year", "share_pct", "source"])
    sheet.append(["semiconductors", "後工程", "downstream", "TW", 2023, 50, "推計"])
    sheet.append(["semiconductors", "後工程", "downstream", "CN", 2023, "=10*2", "推計"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = dependency_import(actor=official, data=buffer.getvalue(), dry_run=False)

    assert [(e.row, e.column) for e in report.errors] == [(3, "share_pct")]
    assert not imported().exists()


def test_a_workbook_without_errors_is_imported(official):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["分野", "品目", "段階", "国", "年", "シェア", "出典"])
    sheet.append(["semiconductors", "後工程", "downstream", "TW", 2023, 50, "推計"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = dependency_import(actor=official, data=buffer.getvalue(), dry_run=False)

    assert report.saved
    assert imported().get().precision == FigurePrecision.ESTIMATE


@override_settings(DEPENDENCY_IMPORT_MAX_BYTES=1024)
def test_a_file_over_the_size_limit_is_refused_whole(official):
    report = dependency_import(actor=official, data=b"x" * 2048, dry_run=False)

    [error] = report.errors
    assert error.row == 0 and "1.0" in error.message


def test_a_file_that_is_not_a_table_is_refused(official):
    report = dependency_import(actor=official, data=b"%PDF-1.4 whatever", dry_run=False)

    assert report.errors[0].row == 0


def test_figures_outside_the_officials_sectors_are_refused(official, batteries):
    data = trade_csv("batteries,黒鉛,2504.10,upstream,CN,2023,100,貿易統計")

    report = dependency_import(actor=official, data=data, dry_run=False)

    assert [(e.row, e.column) for e in report.errors] == [(2, "sector")]
    assert not imported().exists()


def test_shift_jis_trade_statistics_are_read(official):
    data = trade_csv("semiconductors,高純度フッ化物,281111,upstream,CN,2023,5,貿易統計")

    report = dependency_import(actor=official, data=data.decode().encode("cp932"), dry_run=True)

    assert report.ok and report.changes[0].product == "高純度フッ化物"
