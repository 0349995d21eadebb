"""Template filters for provenance: when an indicator's publication usually appears."""

from django import template

from indicators import provenance

register = template.Library()


@register.filter
def usual_release(indicator) -> str:
    """The indicator's usual release, in words (see indicators.provenance.usual_release)."""
    return provenance.usual_release(indicator.frequency, indicator.release_lag_days)
