"""Formula neutralization: no cell of an export is ever run as a formula.

Spreadsheet programs treat a cell that starts with `=`, `+`, `-` or `@` as a
formula (CSV injection), and some also after a leading tab or carriage return;
Japanese input methods produce the full-width forms ＝ ＋ － ＠ of the same
signs. A text cell starting with any of them gets a leading apostrophe, the
convention spreadsheet programs read as "this is text". Numbers and dates are
left alone (a negative number is a number, not text).

The rule lives here once; `TRIGGERS` is also used to build the same rule in
SQL for the COPY path (selectors/exports.py).
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
PREFIX = "'"
_TRIGGER_SET = frozenset(TRIGGERS)


def neutralize(value):
    """`value` unchanged unless it is text starting with a trigger; then `'` + value.

    Idempotent: a neutralized value starts with `'`, which is not a trigger.
    """
    if isinstance(value, str) and value and value[0] in _TRIGGER_SET:
        return PREFIX + value
    return value


def neutralize_row(row) -> list:
    return [neutralize(value) for value in row]
