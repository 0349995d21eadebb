"""A publisher's own spelling of periods (`2019C`, `2019Q3`, `201909`), read into the period's first day."""

import datetime
import re
from dataclasses import dataclass

from indicators.ingestion.errors import PermanentFetchError

_YEAR = r"(?P<year>\d{4})"


@dataclass(frozen=True)
class TimeCodes:
    """How one publisher writes a period: the four-digit year, then a mark and the quarter or the month.

    `quarters` spells quarters one to four in the publisher's order ("ABCD", "1234"); months are two digits.
    """

    what: str
    quarters: str
    quarter_mark: str = ""
    month_mark: str = ""

    def _pattern(self, frequency: str) -> str:
        quarter = f"{re.escape(self.quarter_mark)}(?P<quarter>[{re.escape(self.quarters)}])"
        month = f"{re.escape(self.month_mark)}(?P<month>0[1-9]|1[0-2])"
        return _YEAR + {"annual": "", "quarterly": quarter, "monthly": month}[frequency]

    def period(self, code: str, frequency: str) -> datetime.date:
        """The first day of the period `code` names; a code that is no period of `frequency` is a permanent error."""
        match = re.match(f"^{self._pattern(frequency)}$", code or "")
        if not match:
            raise PermanentFetchError(f"{self.what} {code!r} is not a {frequency} period")
        year = int(match["year"])
        if frequency == "quarterly":
            return datetime.date(year, self.quarters.index(match["quarter"]) * 3 + 1, 1)
        if frequency == "monthly":
            return datetime.date(year, int(match["month"]), 1)
        return datetime.date(year, 1, 1)
