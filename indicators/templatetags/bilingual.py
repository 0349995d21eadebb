"""`{{ indicator|localized:"unit" }}`: a bilingual field in the reader's language (indicators.bilingual)."""

from django import template

from indicators.bilingual import localized as localized_text

register = template.Library()


@register.filter
def localized(obj, field_name: str) -> str:
    return localized_text(obj, field_name)
