"""One formula escaper for the downloads and the upload templates, and the reader undoing it."""

import pytest

from indicators.spreadsheets import spreadsheet_safe, spreadsheet_unescape


@pytest.mark.parametrize("text", ["=1+1", "+1", "-5", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "plain", "", "'quoted"])
def test_what_the_templates_write_the_reader_takes_back_as_typed(text):
    assert spreadsheet_unescape(spreadsheet_safe(text)) == text


def test_a_negative_number_in_a_text_cell_is_escaped_like_any_formula_start():
    """The upload templates used to leave "-5" alone; the downloads never did. Both escape it now."""
    assert spreadsheet_safe("-5") == "'-5"
