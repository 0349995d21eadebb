"""Reading uploaded CSV and XLSX files into rows of text, and writing the templates analysts fill in.

The column contract (which columns a file may name and which it must) lives here, beside the reader that
enforces it. Everything a file can do wrong is refused with a message that says what and where, before any
row is looked at: size, row count, encoding, columns, macros, and XML that is unsafe to parse.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable

import openpyxl
from defusedxml import DefusedXmlException
from django.core.exceptions import ImproperlyConfigured

from indicators.models import Indicator
from indicators.periods import format_period
from indicators.services.observation_writes import plausible_range_label
from indicators.services.observations import Flags
from indicators.services.uploads import flags_text
from indicators.spreadsheets import spreadsheet_safe, spreadsheet_unescape

# The column contract: what a file's first row may name, and what it must. `flags` is optional: its cells name
# provisional, estimated or break (several separated by semicolons), a blank cell none; a file without the column
# leaves the stored figures' flags as they are.
UPLOAD_COLUMNS = ("geography", "period", "value", "citation", "note", "flags")
REQUIRED_COLUMNS = ("geography", "period", "value", "citation")

# openpyxl parses workbooks with defusedxml when it is installed (it is a dependency) unless
# OPENPYXL_DEFUSEDXML=False; refuse to run with an unsafe parser rather than parse untrusted XML with it.
if not openpyxl.DEFUSEDXML:
    raise ImproperlyConfigured("openpyxl must parse with defusedxml: unset OPENPYXL_DEFUSEDXML")

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_ROWS = 50_000
# A 5 MB workbook can inflate enormously (a zip bomb); real ones of 50,000 rows stay far below this.
MAX_XLSX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# What a sheet may declare or hold before it is read: its template has 5 columns and one row per figure, so a
# sheet wider than A:Z or numbering rows past twice the row limit is refused (openpyxl would otherwise fill every
# missing row and cell up to what the file claims: a 1.6 KB file numbering a row 200,000,000 held a worker 30 s).
MAX_SHEET_COLUMNS = 26
MAX_SHEET_ROW = 2 * MAX_UPLOAD_ROWS
# Shared strings are parsed into memory when the workbook opens, before any row is read.
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlam", ".xlsb", ".xls")
TEMPLATE_SHEET = "values"


class UploadRefused(Exception):
    """The file as a whole cannot be read; the message tells the analyst how to fix it."""


def _header(cells: Iterable) -> list[str]:
    names = [str(cell or "").strip().lower() for cell in cells]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise UploadRefused("The first row must name the columns: " + ", ".join(UPLOAD_COLUMNS) + ".")
    unknown = [name or "(blank)" for name in names if name not in UPLOAD_COLUMNS]
    if unknown:
        raise UploadRefused(
            f"Unknown column(s): {', '.join(unknown)}. The columns are: {', '.join(UPLOAD_COLUMNS)} "
            "(download the template)."
        )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise UploadRefused(f"Column(s) named twice: {', '.join(repeated)}.")
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise UploadRefused(f"Missing column(s): {', '.join(missing)}.")
    return names


def _rows(header: list[str], records: Iterable[list], first_row: int = 2) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for number, cells in enumerate(records, start=first_row):
        if number > MAX_SHEET_ROW:
            raise UploadRefused(
                f"The file goes on past row {MAX_SHEET_ROW:,}; it may hold at most {MAX_UPLOAD_ROWS:,} rows. "
                "Delete the rows below your figures, or split the file."
            )
        texts = [_cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        extra = [text for text in texts[len(header) :] if text]
        if extra:
            raise UploadRefused(f"Row {number} has more cells than the header names; remove them or name the column.")
        if len(rows) >= MAX_UPLOAD_ROWS:
            raise UploadRefused(f"The file has more than {MAX_UPLOAD_ROWS:,} rows; split it into smaller files.")
        # Every named column, so a short row's missing cells read as blank (a blank flags cell is no flag).
        row = {name: texts[index] if index < len(texts) else "" for index, name in enumerate(header)}
        row["_row"] = number
        rows.append(row)
    return rows


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime | datetime.date):
        return cell.strftime("%Y-%m-%d")
    if isinstance(cell, float):
        return repr(cell) if not cell.is_integer() else str(int(cell))
    return spreadsheet_unescape(str(cell).strip())


def _read_csv(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadRefused(
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). "
            "Save it as “CSV UTF-8” and upload it again."
        ) from None
    if "\x00" in text:
        raise UploadRefused("The file contains NUL bytes: it is not a CSV text file.")
    try:
        records = csv.reader(io.StringIO(text, newline=""))
        header = _header(next(records, []))
        return _rows(header, records)
    except csv.Error as error:
        raise UploadRefused(f"The CSV cannot be read: {error}.") from None


def _check_package(data: bytes) -> None:
    """Refuse from the zip directory alone, before any XML is parsed: macros, and parts too large to parse."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError):
        raise UploadRefused("The file is not a valid .xlsx workbook.") from None
    if any(info.filename.lower().endswith("vbaproject.bin") for info in infos):
        raise UploadRefused("Macro-enabled workbooks are refused. Save the sheet as a plain .xlsx workbook.")
    if sum(info.file_size for info in infos) > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise UploadRefused("The workbook expands to more than 100 MB; it is refused.")
    shared = sum(info.file_size for info in infos if info.filename.lower().endswith("sharedstrings.xml"))
    if shared > MAX_SHARED_STRINGS_BYTES:
        raise UploadRefused(
            f"The workbook's text cells expand to {shared / 1024 / 1024:.0f} MB (the limit is "
            f"{MAX_SHARED_STRINGS_BYTES // 1024 // 1024} MB); it is refused. Save the values sheet alone as CSV UTF-8."
        )


def _check_dimension(sheet) -> None:
    """Refuse a sheet whose declared size (its <dimension>, read when the workbook opens) is beyond the bounds."""
    if (sheet.max_row or 0) > MAX_SHEET_ROW:
        raise UploadRefused(
            f"The sheet declares {sheet.max_row:,} rows; it may hold at most {MAX_UPLOAD_ROWS:,}. "
            "Delete the rows below your figures, or split the file."
        )
    if (sheet.max_column or 0) > MAX_SHEET_COLUMNS:
        raise UploadRefused(
            f"The sheet declares {sheet.max_column:,} columns; the template has {len(UPLOAD_COLUMNS)}. "
            "Delete the columns to the right of the note column."
        )


def _read_xlsx(data: bytes) -> list[dict[str, str]]:
    _check_package(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a malformed package, wrapping the cause
        raise _workbook_refusal(error) from None
    try:
        sheet = workbook[TEMPLATE_SHEET] if TEMPLATE_SHEET in workbook.sheetnames else workbook.worksheets[0]
        _check_dimension(sheet)
        # openpyxl stops at the declared last row, silently dropping rows past an understated one; read to the
        # real end instead (MAX_SHEET_ROW bounds it), with max_col bounding the cells built per row.
        sheet.reset_dimensions()
        records = sheet.iter_rows(values_only=True, max_col=MAX_SHEET_COLUMNS)
        header = _header(next(records, ()))
        return _rows(header, records)
    except UploadRefused:
        raise
    except Exception as error:
        raise _workbook_refusal(error) from None
    finally:
        workbook.close()


def _workbook_refusal(error: BaseException) -> UploadRefused:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return UploadRefused("The workbook's XML declares entities or a DTD; it is refused for safety.")
        cause = cause.__cause__ or cause.__context__
    return UploadRefused("The file is not a valid .xlsx workbook.")


def upload_read(uploaded_file) -> list[dict[str, str]]:
    """The file's data rows as column → text, each with its spreadsheet row number under "_row"."""
    name = (uploaded_file.name or "").lower()
    if uploaded_file.size > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            f"The file is {uploaded_file.size / 1024 / 1024:.1f} MB; the limit is 5 MB. Split it into smaller files."
        )
    if name.endswith(MACRO_EXTENSIONS):
        raise UploadRefused("Macro-enabled and legacy workbooks are refused. Save the sheet as .xlsx or CSV UTF-8.")
    data = uploaded_file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused("The file is larger than 5 MB. Split it into smaller files.")
    if not data.strip():
        raise UploadRefused("The file is empty.")
    if name.endswith(".csv"):
        if data.startswith(b"PK\x03\x04"):
            raise UploadRefused("This is a workbook, not a CSV file: upload it with the .xlsx extension.")
        return _read_csv(data)
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    raise UploadRefused("Upload a .csv (UTF-8) or .xlsx file.")


def _template_rows(indicator: Indicator, observations, with_flags: bool) -> list[list[str]]:
    rows = []
    for observation in observations:
        row = [
            observation.geography.code,
            format_period(observation.period, indicator.frequency),
            f"{observation.value.normalize():f}",
            spreadsheet_safe(observation.citation),
            spreadsheet_safe(observation.note),
        ]
        if with_flags:
            row.append(flags_text(Flags(observation.is_provisional, observation.is_estimated, observation.is_break)))
        rows.append(row)
    return rows


def _template_columns(with_flags: bool) -> list[str]:
    return [name for name in UPLOAD_COLUMNS if with_flags or name != "flags"]


def template_csv(indicator: Indicator, observations, *, with_flags: bool = False) -> bytes:
    """The columns, then the figures stored now: uploading it unchanged changes nothing.

    The flags column is written when some figure carries a flag; without it an upload keeps the stored flags.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(_template_columns(with_flags))
    writer.writerows(_template_rows(indicator, observations, with_flags))
    return out.getvalue().encode("utf-8")


def template_xlsx(indicator: Indicator, observations, *, with_flags: bool = False) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = TEMPLATE_SHEET
    sheet.append(_template_columns(with_flags))
    for row in _template_rows(indicator, observations, with_flags):
        sheet.append(row)
    for cell in sheet["B"]:
        cell.number_format = "@"  # keep periods such as 2023-04 as text, not dates
        cell.data_type = "s"
    about = workbook.create_sheet("about")
    for line in (
        ("indicator", indicator.code),
        ("name", indicator.name_en),
        ("unit", indicator.unit),
        ("frequency", indicator.frequency),
        ("period format", {"annual": "2023", "quarterly": "2023-Q2", "monthly": "2023-04"}[indicator.frequency]),
        ("plausible range", plausible_range_label(indicator) or "not set"),
        ("publication", indicator.publication),
        ("citation", "an http(s) URL, or issuer, title and date of the document"),
        ("flags", "optional column: provisional, estimated, break (several separated by ;), blank for none"),
    ):
        about.append([spreadsheet_safe(str(text)) for text in line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
