"""A foreign measure's date as the plan gives it: to the day, the month or the year,
and "planned" for a measure not yet in force.

One function for pages, the admin and files: a month-precision date stored as the 1st
must never read as "1 July"."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

from dialogue.enums import DatePrecision


def partial_date(value: date, precision: str) -> str:
    """ "2023年8月1日" / "Aug. 1, 2023", "2023年8月" / "August 2023", "2023年" / "2023"."""
    if precision == DatePrecision.YEAR:
        return pgettext("a date known to the year", "%(year)s") % {"year": value.year}
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")


def measure_date_label(value: date | None, precision: str, *, planned: bool) -> str:
    """The phrase shown next to a measure: "2023年8月施行", "施行予定（2023年3月公表）" …;
    empty for a measure in force whose date the plan does not give."""
    if planned:
        if value is None:
            return gettext("planned, not yet in force")
        return gettext("planned, not yet in force (announced %(date)s)") % {
            "date": partial_date(value, precision)
        }
    if value is None:
        return ""
    return gettext("in force from %(date)s") % {"date": partial_date(value, precision)}
