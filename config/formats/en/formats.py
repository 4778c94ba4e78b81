"""Dates and times in English pages, e-mails and reports: day-month-year or ISO-like
(never the US month/day order, which Japanese readers of English misread), 24-hour
times, JST (TIME_ZONE)."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
