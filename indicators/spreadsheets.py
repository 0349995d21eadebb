"""Text cells a spreadsheet shows as typed and never runs: one rule for the downloads and the upload templates.

A spreadsheet program evaluates a cell that begins with =, +, -, @, tab or carriage return, so such text is
written with a leading apostrophe (OWASP's advice on CSV injection); the upload reader takes it off again.
Numbers we format ourselves go into their own cells and are never passed through here.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as typed, never evaluates."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def spreadsheet_unescape(text: str) -> str:
    """Undo spreadsheet_safe on a cell read back from a file we wrote (or one written the same way)."""
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text
