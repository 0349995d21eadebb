"""One rule for bilingual fields: `<field>_zh` for Chinese readers, `<field>_en` (or `<field>`) for everyone else.

A Chinese text left blank falls back to the English one, so a page never shows an empty label.
"""

from django.utils import translation


def localized(obj, field_name: str, language: str | None = None) -> str:
    """The Chinese or English text of a bilingual field, for `language` (the active one by default)."""
    language = language or translation.get_language() or "en"
    english = getattr(obj, f"{field_name}_en", None)
    if english is None:
        english = getattr(obj, field_name)
    if language.startswith("zh"):
        return getattr(obj, f"{field_name}_zh", "") or english
    return english
