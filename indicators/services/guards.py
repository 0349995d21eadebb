"""Guards against a figure on the wrong scale: far outside its own series, or a file on another scale.

A value is an outlier when its modified z-score, 0.6745 (x − median) / MAD over the series' last 36 public figures,
exceeds 3.5 in absolute value (Iglewicz and Hoaglin, "How to Detect and Handle Outliers", 1993). The median and the
median absolute deviation are not pulled by the outlier itself, unlike the mean and the standard deviation.
An upload is on another scale when the median of its values and the median of the stored series differ more than
tenfold either way (a PMI around 50 uploaded into crude steel around 8,000).
"""

import statistics
from dataclasses import dataclass
from decimal import Decimal

from indicators.models import Geography, Indicator, Observation

OUTLIER_WINDOW = 36
OUTLIER_THRESHOLD = 3.5
# 0.6745 is the 0.75 quantile of the standard normal: it makes the MAD comparable with a standard deviation.
MAD_SCALE = 0.6745
# Below this many figures a median and MAD say little about the series.
OUTLIER_MIN_FIGURES = 8
SCALE_RATIO_LIMIT = 10


@dataclass(frozen=True)
class Outlier:
    value: Decimal
    median: float
    mad: float
    count: int

    @property
    def mads_away(self) -> float:
        return abs(float(self.value) - self.median) / self.mad

    @property
    def modified_z(self) -> float:
        return MAD_SCALE * (float(self.value) - self.median) / self.mad

    @property
    def message(self) -> str:
        side = "above" if float(self.value) > self.median else "below"
        return (
            f"{self.value.normalize():f} is {self.mads_away:.1f} MADs {side} the median {self.median:g} of the last "
            f"{self.count} figures (MAD {self.mad:g}; modified z-score {self.modified_z:.1f}, beyond the 3.5 of "
            "Iglewicz and Hoaglin). Check the unit and scale, then confirm the value."
        )


def series_values(*, indicator: Indicator, geography: Geography | int, excluding=None) -> list[float]:
    """The series' last public figures, newest first, leaving out the period being replaced."""
    figures = Observation.objects.public().filter(indicator=indicator, geography=geography)
    if excluding is not None:
        figures = figures.exclude(period=excluding)
    return [float(value) for value in figures.order_by("-period").values_list("value", flat=True)[:OUTLIER_WINDOW]]


def outlier_among(value: Decimal, history: list[float]) -> Outlier | None:
    """The outlier verdict on `value` against `history` (newest first), None when it sits within the series."""
    history = history[:OUTLIER_WINDOW]
    if len(history) < OUTLIER_MIN_FIGURES:
        return None
    median = statistics.median(history)
    mad = statistics.median(abs(figure - median) for figure in history)
    if mad == 0:
        return None
    found = Outlier(value=value, median=median, mad=mad, count=len(history))
    return found if abs(found.modified_z) > OUTLIER_THRESHOLD else None


def series_outlier(*, indicator: Indicator, geography, period, value: Decimal) -> Outlier | None:
    return outlier_among(value, series_values(indicator=indicator, geography=geography, excluding=period))


def scale_mismatch_message(uploaded: list[Decimal], stored: list[float]) -> str:
    """Why an upload looks like another series' figures, or "" when its scale matches what is stored."""
    if not uploaded or not stored:
        return ""
    uploaded_median = float(statistics.median(uploaded))
    stored_median = statistics.median(stored)
    if uploaded_median == 0 or stored_median == 0 or (uploaded_median > 0) != (stored_median > 0):
        return ""
    ratio = uploaded_median / stored_median
    if 1 / SCALE_RATIO_LIMIT <= ratio <= SCALE_RATIO_LIMIT:
        return ""
    return (
        f"This file's values (median {uploaded_median:g}) are {max(ratio, 1 / ratio):.0f} times "
        f"{'larger' if ratio > 1 else 'smaller'} than the stored series (median {stored_median:g}): it may belong "
        f"to another indicator or use another unit. Confirm this file to upload it anyway."
    )
