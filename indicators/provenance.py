"""Plain-language provenance facts for an indicator page: when its publication usually appears."""

import datetime

MONTHS = [datetime.date(2000, month, 1).strftime("%B") for month in range(1, 13)]
PERIOD_ENDS = {"annual": "year", "quarterly": "quarter", "monthly": "month"}


def usual_release(frequency: str, release_lag_days: int) -> str:
    """When a figure usually appears, from how long after its period the publication comes out.

    For an annual series the month is named (a year's figure ends on 31 December, so a lag of 60 days is
    about the end of February of the following year); for shorter periods the lag itself is the answer.
    """
    period = PERIOD_ENDS.get(frequency, "period")
    if frequency == "annual":
        month = (datetime.date(2001, 1, 1) + datetime.timedelta(days=max(release_lag_days - 1, 0))).month
        return (
            f"usually in {MONTHS[month - 1]} of the following year (about {release_lag_days} days after the year ends)"
        )
    return f"usually about {release_lag_days} days after the {period} ends"
