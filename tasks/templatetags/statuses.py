"""The status labels the pages print, read from ProgressStatus so there is one wording of each."""

from django import template

from tasks.models import ProgressStatus

register = template.Library()


@register.filter
def status_label(status: str | None) -> str:
    """The label of a status value; an empty or unknown value reads as "cannot be assessed yet"."""
    try:
        return ProgressStatus(status).label
    except ValueError:
        return ProgressStatus.NOT_ASSESSABLE.label
