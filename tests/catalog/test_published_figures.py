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


def test_a_count_reported_with_a_years_results_is_that_years_end():
    printed = "as of 2023-03 (reported with 2022 results)"
    assert reference_period(printed, "national-advanced-manufacturing-clusters", "annual") == datetime.date(2022, 1, 1)


def test_a_count_after_a_list_is_the_count_through_that_list():
    assert reference_period("2023-05 (after the 2022 list)", "national-green-factories", "annual") == datetime.date(
        2022, 1, 1
    )


def test_a_dated_count_that_names_no_year_end_stays_out():
    assert isinstance(
        reference_period("as of 2024-03", "industrial-internet-platform-connected-equipment", "annual"), str
    )


def test_a_quarter_end_month_is_its_quarter_and_other_months_fit_none():
    assert reference_period("2023-06 (Q2 end)", "industrial-medium-long-term-loans-growth", "quarterly") == (
        datetime.date(2023, 4, 1)
    )
    assert isinstance(reference_period("2023-05", "manufacturing-medium-long-term-loans-growth", "quarterly"), str)


def test_the_government_work_reports_clause_wins_over_a_later_copy():
    review = published_figures.REVIEW_FIGURES[0]
    copy = {**review, "published": "2023-03-19", "document": "a newspaper"}
    from_report = Figure(300, "srdi-smes", "CHN", datetime.date(2022, 1, 1), "70000", True, review)
    from_copy = Figure(7, "srdi-smes", "CHN", datetime.date(2022, 1, 1), "70000", True, copy)
    [(winner, others)] = published_figures.choose([from_copy, from_report])
    assert winner is from_report and others == [from_copy]


def test_every_new_figure_family_named_for_a_catalog_indicator_is_in_the_catalog(catalog):
    codes = {indicator["code"] for indicator in catalog["indicators"]}
    assert set(published_figures.CATALOG_CODE_FOR.values()) <= codes
