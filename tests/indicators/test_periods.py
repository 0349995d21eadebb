import datetime

import pytest

from indicators.periods import (
    Freshness,
    PeriodError,
    check_period_start,
    format_period,
    freshness,
    next_due,
    parse_period,
    period_end,
)

D = datetime.date


@pytest.mark.parametrize(
    ("text", "frequency", "expected"),
    [
        ("2023", "annual", D(2023, 1, 1)),
        ("2023-Q3", "quarterly", D(2023, 7, 1)),
        ("2023q4", "quarterly", D(2023, 10, 1)),
        ("2024-02", "monthly", D(2024, 2, 1)),
        (" 2024-11 ", "monthly", D(2024, 11, 1)),
    ],
)
def test_parse_period_reads_each_frequency_label(text, frequency, expected):
    assert parse_period(text, frequency) == expected


@pytest.mark.parametrize(
    ("text", "frequency", "message"),
    [
        ("2023-04", "annual", "write it like 2023"),
        ("2023", "monthly", "write it like 2023-04"),
        ("2023-Q5", "quarterly", "not a valid quarterly period"),
        ("2023-13", "monthly", "month 13 does not exist"),
        ("", "annual", "not a valid annual period"),
    ],
)
def test_parse_period_says_what_was_expected(text, frequency, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(text, frequency)


def test_format_period_round_trips_with_parse():
    for frequency, day in [("annual", D(2021, 1, 1)), ("quarterly", D(2021, 4, 1)), ("monthly", D(2021, 12, 1))]:
        assert parse_period(format_period(day, frequency), frequency) == day


def test_check_period_start_rejects_a_mid_period_date():
    with pytest.raises(PeriodError):
        check_period_start(D(2023, 2, 1), "quarterly")
    with pytest.raises(PeriodError):
        check_period_start(D(2023, 7, 1), "annual")
    check_period_start(D(2023, 7, 1), "quarterly")


def test_period_end_handles_leap_february_and_quarters():
    assert period_end(D(2024, 2, 1), "monthly") == D(2024, 2, 29)
    assert period_end(D(2023, 10, 1), "quarterly") == D(2023, 12, 31)
    assert period_end(D(2023, 1, 1), "annual") == D(2023, 12, 31)


def test_next_due_is_end_of_next_period_plus_release_lag():
    # 2023 annual figure known; 2024's figure is due 2024-12-31 + 180 days.
    assert next_due(latest_period=D(2023, 1, 1), frequency="annual", release_lag_days=180) == D(2025, 6, 29)
    assert next_due(latest_period=D(2025, 3, 1), frequency="monthly", release_lag_days=15) == D(2025, 5, 15)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2025, 5, 14), Freshness.CURRENT),
        (D(2025, 5, 15), Freshness.DUE),
        (D(2025, 6, 14), Freshness.DUE),
        (D(2025, 6, 15), Freshness.STALE),
    ],
)
def test_freshness_moves_from_current_to_due_to_stale(today, expected):
    result = freshness(latest_period=D(2025, 3, 1), frequency="monthly", release_lag_days=15, today=today)
    assert result == expected


def test_freshness_without_data_says_so():
    assert freshness(latest_period=None, frequency="annual", release_lag_days=1, today=D(2025, 1, 1)) == "no_data"
