"""The summary's sheets are declared once: each column names a field of the sheet's row."""

import dataclasses
import typing

import pytest

from dialogue.selectors.plan_summary.sheets import SHEETS


def row_type(sheet_class) -> type:
    [base] = sheet_class.__orig_bases__
    [row] = typing.get_args(base)
    return row


@pytest.mark.parametrize("sheet_class", SHEETS, ids=lambda s: s.key)
def test_every_column_reads_a_field_of_the_row_once(sheet_class):
    keys = [column.key for column in sheet_class.columns]
    fields = [field.name for field in dataclasses.fields(row_type(sheet_class))]
    assert len(keys) == len(set(keys))
    assert [key for key in keys if key not in fields] == []
    assert all(column.width > 0 for column in sheet_class.columns)


def test_the_sheets_come_in_the_documents_order():
    assert [sheet.key for sheet in SHEETS] == [
        "summary",
        "sectors",
        "heatmap",
        "threats",
        "chokepoints",
        "dependencies",
        "actions",
        "referrals",
        "changes",
        "sources",
    ]
