"""The plain records every connector yields and the one shared writer consumes."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

# What a figure states beside its key (geography, period): the same names on ObservationRecord and Observation.
FIGURE_FIELDS = ("value", "vintage", "citation", "note", "is_provisional", "is_estimated", "is_break")
# The bundled snapshot's CSV header: the indicator's code, then ObservationRecord's fields.
SNAPSHOT_COLUMNS = ["indicator_code", "geography_code", "period", *FIGURE_FIELDS]


@dataclass(frozen=True, slots=True)
class ObservationRecord:
    """One published figure, before it touches the database.

    `period` is the first day of the period the figure describes (1 January for a year,
    the quarter's first day, the month's first day), never a release date.
    `unit` is the unit the source stated for the figure where its format carries one
    (None where it does not); the writer refuses a unit that differs from the indicator's.
    """

    geography_code: str
    period: datetime.date
    value: Decimal
    vintage: str = ""
    citation: str = ""
    note: str = ""
    is_provisional: bool = False
    is_estimated: bool = False
    is_break: bool = False
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    """A place in the source's reply that holds no figure (a null, an absent flag), so the run can count it.

    `withdrawn` says the source publishes the key (`geography_code`, `period`) as null: a figure stored from an
    earlier pull there has been withdrawn by the source.
    """

    reason: str
    where: str
    geography_code: str | None = None
    period: datetime.date | None = None
    withdrawn: bool = False
