"""Periods typed by frequency, and when an indicator's next figure is due.

A period is stored as its first day: 1 January for a year, the quarter's first day, the month's
first day. These functions are pure so ingestion, the analyst workspace and the pages share them.
"""

import calendar
import datetime
import re
from enum import StrEnum

ANNUAL, QUARTERLY, MONTHLY = "annual", "quarterly", "monthly"
MONTHS_PER_PERIOD = {ANNUAL: 12, QUARTERLY: 3, MONTHLY: 1}


class PeriodError(ValueError):
    """A period that does not exist, or does not match the indicator's frequency."""


class Freshness(StrEnum):
    NO_DATA = "no_data"
    CURRENT = "current"  # the next figure is not due yet
    DUE = "due"  # the next figure should have appeared by now
    STALE = "stale"  # the figure after that is due too: two or more periods behind


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def check_period_start(period: datetime.date, frequency: str) -> None:
    """Raise PeriodError unless `period` is the first day of a period of this frequency."""
    if frequency not in MONTHS_PER_PERIOD:
        raise PeriodError(f"unknown frequency {frequency!r}")
    if period.day != 1:
        raise PeriodError(f"{period.isoformat()} is not the first day of a period")
    if frequency == ANNUAL and period.month != 1:
        raise PeriodError(f"{period.isoformat()} is not the start of a year; annual periods start on 1 January")
    if frequency == QUARTERLY and period.month not in (1, 4, 7, 10):
        raise PeriodError(f"{period.isoformat()} is not the start of a quarter")


def check_period_over(period: datetime.date, frequency: str, *, today: datetime.date) -> None:
    """Raise PeriodError unless the period ended before `today`: no figure can exist for a period not yet over.

    The one rule for every figure a person enters (the form, the service, the upload): a year in 2199, or the
    current month, is refused.
    """
    end = period_end(period, frequency)
    if end >= today:
        raise PeriodError(
            f"{format_period(period, frequency)} has not ended yet (it ends on {end.isoformat()}); "
            "a figure for it cannot exist before then"
        )


def next_period(period: datetime.date, frequency: str) -> datetime.date:
    return _add_months(period, MONTHS_PER_PERIOD[frequency])


def period_end(period: datetime.date, frequency: str) -> datetime.date:
    """The last day of the period that starts on `period`."""
    last_month = _add_months(period, MONTHS_PER_PERIOD[frequency] - 1)
    return last_month.replace(day=calendar.monthrange(last_month.year, last_month.month)[1])


def format_period(period: datetime.date, frequency: str) -> str:
    """'2023', '2023-Q2' or '2023-04': the label people read and type."""
    if frequency == ANNUAL:
        return f"{period.year}"
    if frequency == QUARTERLY:
        return f"{period.year}-Q{(period.month - 1) // 3 + 1}"
    return f"{period.year}-{period.month:02d}"


_PATTERNS = {
    ANNUAL: re.compile(r"^(?P<year>\d{4})$"),
    QUARTERLY: re.compile(r"^(?P<year>\d{4})[- ]?Q(?P<quarter>[1-4])$", re.IGNORECASE),
    MONTHLY: re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$"),
}
PERIOD_EXAMPLES = {ANNUAL: "2023", QUARTERLY: "2023-Q2", MONTHLY: "2023-04"}


def parse_period(text: str, frequency: str) -> datetime.date:
    """Read a period label for this frequency; PeriodError says what was expected."""
    if frequency not in _PATTERNS:
        raise PeriodError(f"unknown frequency {frequency!r}")
    cleaned = (text or "").strip()
    match = _PATTERNS[frequency].match(cleaned)
    if not match:
        raise PeriodError(f"{cleaned!r} is not a valid {frequency} period; write it like {PERIOD_EXAMPLES[frequency]}")
    year = int(match["year"])
    if not 1800 <= year <= 2200:
        raise PeriodError(f"year {year} is out of range")
    if frequency == QUARTERLY:
        return datetime.date(year, (int(match["quarter"]) - 1) * 3 + 1, 1)
    if frequency == MONTHLY:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PeriodError(f"month {month} does not exist")
        return datetime.date(year, month, 1)
    return datetime.date(year, 1, 1)


def next_due(*, latest_period: datetime.date, frequency: str, release_lag_days: int) -> datetime.date:
    """The day the figure for the period after `latest_period` is expected to appear."""
    return period_end(next_period(latest_period, frequency), frequency) + datetime.timedelta(days=release_lag_days)


def freshness(
    *, latest_period: datetime.date | None, frequency: str, release_lag_days: int, today: datetime.date
) -> Freshness:
    """How current an indicator is, judged by its own frequency and release lag."""
    if latest_period is None:
        return Freshness.NO_DATA
    due = next_due(latest_period=latest_period, frequency=frequency, release_lag_days=release_lag_days)
    if today < due:
        return Freshness.CURRENT
    after = next_due(
        latest_period=next_period(latest_period, frequency), frequency=frequency, release_lag_days=release_lag_days
    )
    return Freshness.DUE if today < after else Freshness.STALE
