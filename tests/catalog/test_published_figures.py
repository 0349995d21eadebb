"""Reading quoted figures: reference periods, printed units, bounds and the choice between disagreeing copies."""

import datetime

from scripts import published_figures
from scripts.published_figures import Figure, reference_period


def test_a_year_end_month_is_the_year_of_an_annual_count():
    assert reference_period("2024-12", "little-giant-enterprises", "annual") == datetime.date(2024, 1, 1)


def test_a_count_during_the_year_fits_no_annual_period():
    assert isinstance(reference_period("2022-06", "computing-power-total-scale", "annual"), str)


def test_a_january_to_date_figure_fits_only_a_year_to_date_indicator():
    ytd = reference_period("2023-03 (Jan-Mar)", "soe-total-profits-ytd", "monthly")
    assert ytd == datetime.date(2023, 3, 1)
    assert isinstance(reference_period("2023-01/06 (cumulative)", "automobile-output", "monthly"), str)


def test_an_annual_total_fits_no_monthly_indicator():
    assert isinstance(reference_period("2020 (year)", "crude-steel-output", "monthly"), str)


def test_printed_millions_convert_into_ten_thousands():
    assert published_figures._converted("3.377", "million", "万个") == ("337.7", False)


def test_more_than_is_a_bound_and_about_is_left_out():
    assert published_figures._converted("14", "万家 (超过: more than)", "家") == ("140000", True)
    assert isinstance(published_figures._converted("30", "个左右 (about 30, planned)", "个"), str)


def test_a_unit_with_no_exact_conversion_is_left_out():
    assert isinstance(published_figures._converted("288", "亿片", "亿块"), str)


def _figure(line: int, value: str, published: str, *, is_bound: bool = False) -> Figure:
    source = {"value": value, "unit": "%", "document": "doc", "publisher": "pub", "published": published}
    return Figure(line, "code", "CHN", datetime.date(2021, 1, 1), value, is_bound, source)


def test_the_later_publication_wins_and_the_other_is_kept_as_a_note():
    early, late = _figure(2, "-5.5", "2022-01-20"), _figure(3, "-5.6", "2022-07-05")
    [(winner, others)] = published_figures.choose([late, early])
    assert winner is late and others == [early]


def test_an_exact_figure_wins_over_a_later_bound():
    exact, bound = _figure(2, "425.1", "2025-01-26"), _figure(3, "419", "2025-02-01", is_bound=True)
    [(winner, others)] = published_figures.choose([exact, bound])
    assert winner is exact and others == [bound]
