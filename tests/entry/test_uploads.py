"""Reading upload files (refusals first), the preview, and the all-or-nothing write."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from entry.readers import MAX_UPLOAD_ROWS, UploadRefused, template_csv, template_xlsx, upload_read
from indicators.models import Indicator, Observation, ObservationRevision
from indicators.services.uploads import UploadConflict, observations_upload_apply, observations_upload_preview

HEADER = "geography,period,value,citation,note\n"


def csv_file(text: str, name: str = "values.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rewrite_zip(data: bytes, replace: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, replace.pop(info.filename, source.read(info.filename)))
        for name, content in replace.items():
            target.writestr(name, content)
    return out.getvalue()


# --- Refusals: the file as a whole ------------------------------------------------------------


def test_a_file_over_5_mb_is_refused_before_it_is_read():
    big = SimpleUploadedFile("values.csv", b"x" * (5 * 1024 * 1024 + 1))

    with pytest.raises(UploadRefused, match="limit is 5 MB"):
        upload_read(big)


def test_a_file_over_50000_rows_is_refused():
    rows = "CHN,2020,1,https://example.org/a\n" * (MAX_UPLOAD_ROWS + 1)

    with pytest.raises(UploadRefused, match="more than 50,000 rows"):
        upload_read(csv_file(HEADER + rows))


def test_a_csv_that_is_not_utf8_is_refused_with_the_fix():
    with pytest.raises(UploadRefused, match=r"not UTF-8.*CSV UTF-8"):
        upload_read(csv_file(HEADER + "CHN,2020,1,工业和信息化部公告 2023年第12号\n", encoding="gb18030"))


def test_a_utf8_csv_with_a_byte_order_mark_is_read():
    rows = upload_read(csv_file("\ufeff" + HEADER + "CHN,2020,1,https://example.org/a,\n"))

    assert rows == [
        {"geography": "CHN", "period": "2020", "value": "1", "citation": "https://example.org/a", "note": "", "_row": 2}
    ]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("geography,period,value,citation,source\n", "Unknown column.*source"),
        ("geography,period,value\n", "Missing column.*citation"),
        ("geography,period,value,citation,value\n", "named twice: value"),
        ("\n", "first row must name the columns"),
    ],
)
def test_unknown_missing_or_repeated_columns_are_refused(header, message):
    with pytest.raises(UploadRefused, match=message):
        upload_read(csv_file(header + "CHN,2020,1,https://example.org/a\n"))


@pytest.mark.parametrize("name", ["values.xlsm", "values.xltm", "values.xls", "values.xlsb"])
def test_macro_enabled_and_legacy_workbooks_are_refused_by_extension(name):
    with pytest.raises(UploadRefused, match="Macro-enabled"):
        upload_read(SimpleUploadedFile(name, xlsx_bytes([["geography"]])))


def test_a_workbook_carrying_a_vba_project_is_refused_whatever_its_extension():
    data = rewrite_zip(xlsx_bytes([["geography", "period", "value", "citation"]]), {"xl/vbaProject.bin": b"\x00VBA"})

    with pytest.raises(UploadRefused, match="Macro-enabled"):
        upload_read(SimpleUploadedFile("values.xlsx", data))


def test_a_workbook_with_an_entity_declaration_is_refused_unparsed():
    """Billion laughs: defusedxml refuses the DTD instead of expanding it."""
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    data = rewrite_zip(xlsx_bytes([["geography"]]), {"xl/worksheets/sheet1.xml": bomb})

    with pytest.raises(UploadRefused, match="entities or a DTD"):
        upload_read(SimpleUploadedFile("values.xlsx", data))


def test_an_external_entity_in_the_workbook_is_refused_unresolved():
    data = xlsx_bytes([["geography", "period", "value", "citation"], ["CHN", "2020", 1, "https://example.org/a"]])
    workbook_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    xxe = b'<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>' + workbook_xml.split(b"?>", 1)[-1]
    data = rewrite_zip(data, {"xl/workbook.xml": xxe})

    with pytest.raises(UploadRefused, match="entities or a DTD"):
        upload_read(SimpleUploadedFile("values.xlsx", data))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("values.xlsx", b"geography,period\n", "not a valid .xlsx"),
        ("values.csv", b"PK\x03\x04rest", "workbook, not a CSV"),
        ("values.txt", b"geography,period\n", "Upload a .csv"),
        ("values.csv", b"   ", "empty"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(name, content, message):
    with pytest.raises(UploadRefused, match=message):
        upload_read(SimpleUploadedFile(name, content))


def test_a_plain_xlsx_is_read_with_numbers_and_text():
    data = xlsx_bytes(
        [
            ["Geography", "Period", "Value", "Citation", "Note"],
            ["CHN", 2021, 1234.5, "https://example.org/a", None],
            [None, None, None, None, None],
            ["CHN", "2022", 1300, "Test publisher list 2022", "provisional"],
        ]
    )

    rows = upload_read(SimpleUploadedFile("values.xlsx", data))

    assert [(row["_row"], row["period"], row["value"], row["note"]) for row in rows] == [
        (2, "2021", "1234.5", ""),
        (4, "2022", "1300", "provisional"),
    ]


# --- Preview and write ---------------------------------------------------------------------


def rows_of(text: str):
    return upload_read(csv_file(HEADER + text))


@pytest.mark.django_db
def test_the_preview_lists_every_rows_problems_with_row_column_and_reason(entered_indicator, china):
    rows = rows_of(
        "XXX,2021,10,https://example.org/a,\n"
        "CHN,2021-Q1,ten,javascript:alert(1),\n"
        "CHN,2022,12,https://example.org/a,\n"
        "CHN,2022,13,https://example.org/a,\n"
    )

    preview = observations_upload_preview(indicator=entered_indicator, rows=rows)

    assert [(problem.row, problem.column) for problem in preview.problems] == [
        (2, "geography"),
        (3, "period"),
        (3, "value"),
        (3, "citation"),
        (5, "period"),
    ]
    assert "unknown geography code “XXX”" in preview.problems[0].reason
    assert "write it like 2023" in preview.problems[1].reason
    assert "row 4 already gives" in preview.problems[4].reason
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_a_confirmed_upload_writes_every_row_in_one_go_and_uploading_it_again_changes_nothing(
    entered_indicator, china, analyst
):
    text = "CHN,2021,1100,https://example.org/a,\nCHN,2022,1200,Test publisher list 2022,\n"
    preview = observations_upload_preview(indicator=entered_indicator, rows=rows_of(text))
    assert (preview.new_count, preview.problems) == (2, [])

    counts = observations_upload_apply(
        indicator=entered_indicator, changes=preview.changes, user=analyst, confirm_out_of_range=False
    )

    assert (counts["created"], counts["corrected"], counts["pending"]) == (2, 0, True)
    assert list(Observation.objects.order_by("period").values_list("value", "origin", "entered_by")) == [
        (Decimal("1100"), "analyst", analyst.pk),
        (Decimal("1200"), "analyst", analyst.pk),
    ]
    data_version = Indicator.objects.get().data_version

    again = observations_upload_preview(indicator=entered_indicator, rows=rows_of(text))

    assert (again.unchanged_count, again.changes) == (2, [])
    assert Indicator.objects.get().data_version == data_version


@pytest.mark.django_db
def test_an_upload_that_corrects_values_records_their_history(entered_observation, entered_indicator, analyst):
    preview = observations_upload_preview(
        indicator=entered_indicator, rows=rows_of("CHN,2022,1210,https://example.org/list-2022b,\n")
    )
    assert preview.changed_count == 1 and preview.rows[0].current_value == "1200"

    observations_upload_apply(
        indicator=entered_indicator, changes=preview.changes, user=analyst, confirm_out_of_range=False
    )

    entered_observation.refresh_from_db()
    assert (entered_observation.value, entered_observation.version) == (Decimal("1210"), 2)
    revision = ObservationRevision.objects.get()
    assert (revision.old_value, revision.new_value, revision.reason) == (
        Decimal("1200"),
        Decimal("1210"),
        "analyst_correction",
    )


@pytest.mark.django_db
def test_an_upload_is_written_entirely_or_not_at_all_when_a_value_changed_since_the_preview(
    entered_observation, entered_indicator, analyst
):
    text = "CHN,2021,1100,https://example.org/a,\nCHN,2022,1210,https://example.org/b,\n"
    preview = observations_upload_preview(indicator=entered_indicator, rows=rows_of(text))
    Observation.objects.filter(pk=entered_observation.pk).update(value=Decimal("1205"), version=2)

    with pytest.raises(UploadConflict) as conflict:
        observations_upload_apply(
            indicator=entered_indicator, changes=preview.changes, user=analyst, confirm_out_of_range=False
        )

    assert [(problem.row, "1205" in problem.reason) for problem in conflict.value.problems] == [(3, True)]
    assert Observation.objects.count() == 1
    assert not ObservationRevision.objects.exists()


@pytest.mark.django_db
def test_an_upload_with_values_outside_the_plausible_range_needs_confirmation(entered_indicator, china, analyst):
    preview = observations_upload_preview(
        indicator=entered_indicator, rows=rows_of("CHN,2021,250000,https://example.org/a,\n")
    )
    assert preview.out_of_range_count == 1

    with pytest.raises(Exception, match="plausible range"):
        observations_upload_apply(
            indicator=entered_indicator, changes=preview.changes, user=analyst, confirm_out_of_range=False
        )
    assert not Observation.objects.exists()

    observations_upload_apply(
        indicator=entered_indicator, changes=preview.changes, user=analyst, confirm_out_of_range=True
    )
    assert Observation.objects.get().value == Decimal("250000")


@pytest.mark.django_db
@pytest.mark.parametrize(("writer", "name"), [(template_csv, "t.csv"), (template_xlsx, "t.xlsx")])
def test_the_template_holds_the_stored_values_and_uploading_it_unchanged_changes_nothing(
    entered_observation, entered_indicator, writer, name
):
    entered_observation.citation = "=HYPERLINK(evil) Test publisher list"
    entered_observation.save()
    observations = Observation.objects.filter(indicator=entered_indicator).select_related("geography")

    body = writer(entered_indicator, observations)
    rows = upload_read(SimpleUploadedFile(name, body))

    assert [(row["period"], row["value"], row["citation"]) for row in rows] == [
        ("2022", "1200", "=HYPERLINK(evil) Test publisher list")
    ]
    preview = observations_upload_preview(indicator=entered_indicator, rows=rows)
    assert (preview.unchanged_count, preview.changes) == (1, [])
    if name.endswith(".csv"):
        assert b"'=HYPERLINK" in body  # a spreadsheet program shows it as text, never runs it


def test_periods_are_written_like_the_frequency_reads_them():
    indicator = Indicator(code="q", frequency="quarterly", unit="x", plausible_min=None, plausible_max=None)

    class Row:
        geography = type("G", (), {"code": "CHN"})
        period = datetime.date(2023, 4, 1)
        value = Decimal("1.50")
        citation = "https://example.org/a"
        note = ""

    assert template_csv(indicator, [Row]).decode().splitlines()[1] == "CHN,2023-Q2,1.5,https://example.org/a,"
