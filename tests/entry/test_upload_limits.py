"""Issue 12 item 10: uploads that cost a worker or wrote the wrong number, through the real upload flow."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from entry.readers import MAX_SHARED_STRINGS_BYTES
from indicators.models import Observation
from indicators.periods import PeriodError, check_period_over
from tests.entry.test_uploads import rewrite_zip, xlsx_bytes
from tests.factories import GeographyFactory

pytestmark = pytest.mark.django_db
SHEET = "xl/worksheets/sheet1.xml"
CITATION = "https://example.org/list"


@pytest.fixture
def signed_in(client, analyst):
    client.force_login(analyst)
    return client


def post_upload(client, indicator, content: bytes, name: str):
    url = reverse("entry:indicator_upload", args=[indicator.code])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def sheet_xml(dimension: str, rows: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    ).encode()


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = (
    '<row r="1">'
    + "".join(
        text_cell(f"{column}1", name)
        for column, name in zip("ABCD", ["geography", "period", "value", "citation"], strict=True)
    )
    + "</row>"
)


def workbook_with_sheet(sheet: bytes, **parts: bytes) -> bytes:
    return rewrite_zip(xlsx_bytes([["geography", "period", "value", "citation"]]), {SHEET: sheet, **parts})


def refusal(response) -> str:
    assert response.status_code == 200
    assert not Observation.objects.exists()
    return response.context["refused"]


def problems(response) -> list[tuple[str, str]]:
    assert response.status_code == 200 and response.context["pending"] is None
    return [(problem.column, problem.reason) for problem in response.context["preview"].problems]


# --- Workbooks refused before their sheet is parsed ---------------------------------------------


def test_a_row_numbered_200_million_under_a_header_is_refused_without_reading_the_gap(signed_in, entered_indicator):
    far_row = '<row r="200000000">' + text_cell("A200000000", "CHN") + "</row>"
    content = workbook_with_sheet(sheet_xml("A1:D1", HEADER_ROW + far_row))  # the dimension understates it

    reason = refusal(post_upload(signed_in, entered_indicator, content, "values.xlsx"))

    assert "goes on past row 100,000" in reason


def test_a_sheet_declaring_every_column_is_refused_from_its_dimension(signed_in, entered_indicator):
    last = '<row r="100000">' + text_cell("A100000", "CHN") + "</row>"
    content = workbook_with_sheet(sheet_xml("A1:XFD100000", HEADER_ROW + last))

    reason = refusal(post_upload(signed_in, entered_indicator, content, "values.xlsx"))

    assert "declares 16,384 columns" in reason


def test_a_sheet_declaring_a_billion_rows_is_refused_from_its_dimension(signed_in, entered_indicator):
    content = workbook_with_sheet(sheet_xml("A1:D1000000000", HEADER_ROW))

    assert "declares 1,000,000,000 rows" in refusal(post_upload(signed_in, entered_indicator, content, "values.xlsx"))


def test_shared_strings_that_expand_past_the_bound_are_refused_before_the_workbook_opens(
    signed_in, entered_indicator, monkeypatch
):
    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr("entry.readers.openpyxl.load_workbook", never)
    strings = b"<si><t>" + b"x" * (MAX_SHARED_STRINGS_BYTES + 1) + b"</t></si>"
    shared = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + strings + b"</sst>"
    content = workbook_with_sheet(sheet_xml("A1:D1", HEADER_ROW), **{"xl/sharedStrings.xml": shared})
    assert len(content) < 1024 * 1024  # a small file that inflates to more than the bound

    reason = refusal(post_upload(signed_in, entered_indicator, content, "values.xlsx"))

    assert "text cells expand to 16 MB" in reason or "text cells expand to 17 MB" in reason


# --- Numbers: only what the message calls a number ----------------------------------------------


@pytest.mark.parametrize(
    "value, reason",
    [
        ("1.234,5", "ambiguous separators"),
        ("1,5", "ambiguous separators"),
        ("\uff11\uff12", "write digits 0-9"),
        ("1_0", "write digits 0-9"),
        ("123456789012.123456", "at most 15 significant digits (18 given)"),
    ],
    ids=["european-thousands", "european-decimal", "full-width", "underscore", "more-than-both-databases-keep"],
)
def test_a_value_that_is_not_a_plain_number_is_refused_with_the_reason(signed_in, entered_indicator, value, reason):
    text = f'geography,period,value,citation\nCHN,2021,"{value}",{CITATION}\n'

    found = problems(post_upload(signed_in, entered_indicator, text.encode(), "values.csv"))

    assert found and found[0][0] == "value" and reason in found[0][1], found


def test_a_value_with_fifteen_significant_digits_is_kept_exactly(signed_in, entered_indicator):
    entered_indicator.plausible_max = None
    entered_indicator.save()
    text = f"geography,period,value,citation\nCHN,2021,123456789.123456,{CITATION}\n"

    response = post_upload(signed_in, entered_indicator, text.encode(), "values.csv")
    signed_in.post(reverse("entry:upload_confirm", args=[response.context["pending"].token]))

    assert f"{Observation.objects.get().value}" == "123456789.123456"


# --- Geographies and periods --------------------------------------------------------------------


def test_a_geography_that_exists_but_is_not_the_indicators_is_refused(signed_in, entered_indicator):
    GeographyFactory(code="USA")
    text = f"geography,period,value,citation\nUSA,2021,10,{CITATION}\n"

    found = problems(post_upload(signed_in, entered_indicator, text.encode(), "values.csv"))

    assert found == [("geography", "“USA” is not one of this indicator's geographies (CHN)")]


@pytest.mark.parametrize("period", ["2199", str(timezone.localdate().year)], ids=["2199", "this-year"])
def test_a_period_that_has_not_ended_is_refused_in_an_upload(signed_in, entered_indicator, period):
    text = f"geography,period,value,citation\nCHN,{period},10,{CITATION}\n"

    found = problems(post_upload(signed_in, entered_indicator, text.encode(), "values.csv"))

    assert found[0][0] == "period" and "has not ended yet" in found[0][1], found


def test_a_period_that_has_not_ended_is_refused_by_the_entry_form(signed_in, entered_indicator, china):
    url = reverse("entry:indicator", args=[entered_indicator.code])
    data = {"geography": china.pk, "period": "2199", "value": "10", "citation": CITATION}

    response = signed_in.post(url, data)

    assert response.status_code == 200
    assert "2199 has not ended yet (it ends on 2199-12-31)" in response.content.decode()
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    "period, frequency, today, over",
    [
        (datetime.date(2025, 1, 1), "annual", datetime.date(2026, 1, 1), True),
        (datetime.date(2025, 1, 1), "annual", datetime.date(2025, 12, 31), False),
        (datetime.date(2026, 7, 1), "quarterly", datetime.date(2026, 10, 1), True),
        (datetime.date(2026, 7, 1), "quarterly", datetime.date(2026, 9, 30), False),
        (datetime.date(2026, 11, 1), "monthly", datetime.date(2026, 12, 1), True),
        (datetime.date(2026, 12, 1), "monthly", datetime.date(2026, 12, 3), False),
    ],
)
def test_a_period_is_over_the_day_after_its_last_day(period, frequency, today, over):
    if over:
        check_period_over(period, frequency, today=today)
    else:
        with pytest.raises(PeriodError, match="has not ended yet"):
            check_period_over(period, frequency, today=today)
