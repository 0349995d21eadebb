"""A publisher's period spelling read into period starts, with its own quarter letters or digits."""

import datetime

import pytest

from indicators.ingestion.connectors.time_codes import TimeCodes
from indicators.ingestion.errors import PermanentFetchError

LETTERED = TimeCodes(what="lettered code", quarters="ABCD")
MARKED = TimeCodes(what="marked code", quarters="1234", quarter_mark="Q", month_mark="M")


@pytest.mark.parametrize(
    ("codes", "code", "frequency", "period"),
    [
        (LETTERED, "2020C", "quarterly", datetime.date(2020, 7, 1)),
        (LETTERED, "202011", "monthly", datetime.date(2020, 11, 1)),
        (MARKED, "2020Q3", "quarterly", datetime.date(2020, 7, 1)),
        (MARKED, "2020M11", "monthly", datetime.date(2020, 11, 1)),
        (MARKED, "2020", "annual", datetime.date(2020, 1, 1)),
    ],
)
def test_a_code_becomes_the_first_day_of_its_period(codes, code, frequency, period):
    assert codes.period(code, frequency) == period


@pytest.mark.parametrize(
    ("codes", "code", "frequency"),
    [(LETTERED, "2020Q3", "quarterly"), (MARKED, "2020C", "quarterly"), (MARKED, "202011", "monthly")],
)
def test_another_publishers_spelling_is_refused_naming_the_publisher(codes, code, frequency):
    with pytest.raises(PermanentFetchError, match=f"{codes.what} '{code}' is not a {frequency} period"):
        codes.period(code, frequency)
