"""Business days as government offices count them, for the concerns' first-response target."""

import datetime

import pytest

from dialogue.business_days import add_business_days, earliest_still_on_time, is_business_day

D = datetime.date


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 12, 2), 3, D(2026, 12, 7)),  # Wednesday → the next Monday (a weekend)
        (D(2026, 11, 20), 1, D(2026, 11, 24)),  # Friday; Monday 23 Nov is 勤労感謝の日
        (D(2026, 12, 25), 2, D(2027, 1, 4)),  # Friday; then 28 Dec, then the closure to 3 Jan
        (D(2026, 5, 1), 1, D(2026, 5, 7)),  # Golden Week, with its 振替休日 on 6 May
    ],
)
def test_add_business_days_skips_weekends_holidays_and_the_year_end(start, days, expected):
    assert add_business_days(start, days) == expected


def test_the_year_end_closure_and_holidays_are_not_business_days():
    assert not is_business_day(D(2026, 12, 29))
    assert not is_business_day(D(2027, 1, 2))
    assert not is_business_day(D(2027, 1, 11))  # 成人の日
    assert is_business_day(D(2027, 1, 4))


@pytest.mark.parametrize("days", [1, 3, 5])
def test_one_cutoff_date_says_overdue_exactly_as_the_per_concern_rule(days):
    # "Submitted before the cutoff" ⇔ "the target day is already past", over a whole year
    # of days including Golden Week and the year end.
    for offset in range(0, 400, 3):
        today = D(2026, 4, 1) + datetime.timedelta(days=offset)
        cutoff = earliest_still_on_time(today, days)
        for back in range(0, 25):
            start = today - datetime.timedelta(days=back)
            assert (start < cutoff) == (add_business_days(start, days) < today), (today, start)
