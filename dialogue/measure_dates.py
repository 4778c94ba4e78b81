"""A foreign measure's date as the plan gives it: to the day, the month or the year, with
what the date means: in force from, announced (a planned measure) or published (a strategy).

One function for pages, the admin and files: a month-precision date stored as the 1st
must never read as "1 July"."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

from dialogue.enums import DatePrecision, MeasureStatus


def partial_date(value: date, precision: str) -> str:
    """ "2023年8月1日" / "1 August 2023", "2023年8月" / "August 2023", "2023年" / "2023"."""
    if precision == DatePrecision.YEAR:
        return pgettext("a date known to the year", "%(year)s") % {"year": value.year}
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")


def measure_date_label(value: date | None, precision: str, *, status: str) -> str:
    """The phrase shown next to a measure: "2023年8月施行", "施行予定（2023年3月公表）",
    "2023年6月20日公表" …; empty when the plan gives no date for a measure in force."""
    if status == MeasureStatus.PLANNED:
        if value is None:
            return gettext("planned, not yet in force")
        return gettext("planned, not yet in force (announced %(date)s)") % {
            "date": partial_date(value, precision)
        }
    if value is None:
        return ""
    if status == MeasureStatus.PUBLISHED:
        return gettext("published %(date)s") % {"date": partial_date(value, precision)}
    return gettext("in force from %(date)s") % {"date": partial_date(value, precision)}
