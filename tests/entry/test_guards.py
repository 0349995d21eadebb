"""Guards on real figures from the bundled snapshot: a PMI of 80, a PMI file uploaded into crude steel."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Indicator, Observation
from indicators.services.guards import outlier_among
from indicators.services.observations import observation_record
from indicators.services.uploads import observations_upload_apply, observations_upload_preview
from tests.factories import IndicatorFactory, ObservationFactory

SNAPSHOT = Path(__file__).resolve().parents[2] / "indicators" / "snapshot" / "observations.csv"


def _snapshot(code: str) -> list[tuple[datetime.date, Decimal]]:
    with SNAPSHOT.open(encoding="utf-8") as handle:
        rows = [
            row for row in csv.DictReader(handle) if row["indicator_code"] == code and row["geography_code"] == "CHN"
        ]
    return sorted((datetime.date.fromisoformat(row["period"]), Decimal(row["value"])) for row in rows)


def _series(code: str, china) -> Indicator:
    indicator = IndicatorFactory(
        code=code,
        frequency=Indicator.Frequency.MONTHLY,
        arrival=Indicator.Arrival.ANALYST,
        source_series_code="",
        publication="NBS monthly release",
    )
    indicator.geographies.add(china)
    for period, value in _snapshot(code):
        ObservationFactory(indicator=indicator, geography=china, period=period, value=value)
    return indicator


def _record_pmi(indicator, china, analyst, value, **extra):
    return observation_record(
        indicator=indicator,
        geography=china,
        period=datetime.date(2025, 6, 1),
        value=Decimal(value),
        citation="https://www.stats.gov.cn/english/PressRelease/",
        user=analyst,
        **extra,
    )


@pytest.mark.django_db
def test_a_pmi_of_80_asks_for_confirmation_naming_the_median_and_the_spread(china, analyst):
    pmi = _series("manufacturing-pmi", china)

    with pytest.raises(ValidationError) as refused:
        _record_pmi(pmi, china, analyst, "80")

    (message,) = refused.value.message_dict["confirm_out_of_range"]
    assert message.startswith("80 is 61.0 MADs above the median 49.5 of the last 36 figures (MAD 0.5;")
    assert "3.5" in message and "Iglewicz and Hoaglin" in message
    assert not Observation.objects.filter(period=datetime.date(2025, 6, 1)).exists()


@pytest.mark.django_db
def test_a_confirmed_pmi_of_80_is_saved_and_an_ordinary_one_needs_no_confirmation(china, analyst):
    pmi = _series("manufacturing-pmi", china)

    _record_pmi(pmi, china, analyst, "49.7")
    _record_pmi(pmi, china, analyst, "80", confirm_out_of_range=True, expected_version=1)

    assert Observation.objects.get(period=datetime.date(2025, 6, 1)).value == Decimal("80")


def test_a_series_too_short_or_without_spread_flags_nothing():
    assert outlier_among(Decimal("80"), [50.0] * 7) is None
    assert outlier_among(Decimal("80"), [50.0] * 36) is None


def _pmi_rows():
    return [
        {"geography": "CHN", "period": f"{period:%Y-%m}", "value": f"{value}", "citation": "https://www.stats.gov.cn/"}
        for period, value in _snapshot("manufacturing-pmi")[-12:]
    ]


@pytest.mark.django_db
def test_a_pmi_file_uploaded_into_crude_steel_is_flagged_and_needs_confirming(china, analyst):
    steel = _series("crude-steel-output", china)

    preview = observations_upload_preview(indicator=steel, rows=_pmi_rows())

    assert "times smaller than the stored series (median 8830)" in preview.scale_warning
    with pytest.raises(ValidationError) as refused:
        observations_upload_apply(indicator=steel, changes=preview.changes, user=analyst, confirm_out_of_range=True)
    assert "confirm_scale" in refused.value.message_dict
    counts = observations_upload_apply(
        indicator=steel, changes=preview.changes, user=analyst, confirm_out_of_range=True, confirm_scale=True
    )
    assert Observation.objects.filter(upload_batch=counts["batch"]).count() == 12


@pytest.mark.django_db
def test_a_steel_file_on_the_stored_scale_is_not_flagged(china):
    steel = _series("crude-steel-output", china)
    rows = [{"geography": "CHN", "period": "2024-09", "value": "8,500", "citation": "https://www.stats.gov.cn/"}]

    assert observations_upload_preview(indicator=steel, rows=rows).scale_warning == ""
