"""Business days as Japanese government offices count them: not Saturday or Sunday, not a
national holiday (the `holidays` package, 振替休日 included), and not the year-end closure
of 29 December to 3 January (行政機関の休日に関する法律).

Used for the first-response target of concerns: submitted on day D, a first answer is due
by the end of the Nth business day after D.
"""

from __future__ import annotations

import datetime
import functools

import holidays

ONE_DAY = datetime.timedelta(days=1)


@functools.cache
def _national_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("JP", years=year))


def is_business_day(day: datetime.date) -> bool:
    if day.weekday() >= 5 or day in _national_holidays(day.year):
        return False
    year_end = (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)
    return not year_end


def add_business_days(start: datetime.date, days: int) -> datetime.date:
    """The `days`th business day after `start` (`start` itself never counts)."""
    day = start
    for _ in range(days):
        day += ONE_DAY
        while not is_business_day(day):
            day += ONE_DAY
    return day


def earliest_still_on_time(today: datetime.date, days: int) -> datetime.date:
    """The earliest start date whose target (`add_business_days(start, days)`) is not yet
    past on `today`: anything started before it is overdue. One date for a whole list, so
    "overdue" is a plain comparison in SQL."""
    start = today
    # The target only moves forward as the start does, so walk back while still on time.
    while add_business_days(start - ONE_DAY, days) >= today:
        start -= ONE_DAY
    return start
