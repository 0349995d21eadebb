"""The GET filters of the indicator pages, the downloads and the API, parsed by forms.

A query string is untrusted: Unicode digits (`²`, `①`, `١`) pass `str.isdigit()` and some pass `int()`,
NUL bytes break PostgreSQL, and free-form geography codes would grow the cache with every variant. Each
field accepts ASCII digits, slugs or one of a closed set of choices; the pages drop an invalid value
(`valid_data`), the downloads and the API answer 400 with the form's messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from indicators import periods
from indicators.bilingual import localized
from indicators.changes import KINDS

FIRST_YEAR, LAST_YEAR = 1800, 2200
TASK_NUMBERS = range(1, 8)
VIEWS = ("chart", "table")
_ASCII_DIGITS = re.compile(r"[0-9]{1,4}")
# The filters' closed choices with the labels their <select> shows (the pages render these fields).
FRESHNESS_LABELS = {
    periods.Freshness.CURRENT: _("Up to date"),
    periods.Freshness.DUE: _("New figure due"),
    periods.Freshness.STALE: _("Behind: two or more figures due"),
    periods.Freshness.NO_DATA: _("No data yet"),
}
FRESHNESS_CHOICES = [("", _("Any")), *((value.value, label) for value, label in FRESHNESS_LABELS.items())]
KIND_LABELS = {
    "figures": _("New figures"),
    "revision": _("Revisions"),
    "assessment": _("Assessments"),
    "status": _("Status changes"),
    "target": _("Targets"),
    "warning": _("Early warnings"),
}


class AsciiIntegerField(forms.IntegerField):
    """An integer written in ASCII digits only: `int()` would also accept other scripts' digits."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not _ASCII_DIGITS.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class FilterForm(forms.Form):
    """A GET form whose invalid fields a page ignores rather than refuses."""

    def valid_data(self) -> dict:
        """The cleaned values of the fields that validated; the others are left out."""
        self.is_valid()
        return self.cleaned_data


class IndicatorListFilterForm(FilterForm):
    """/indicators/?task=&sector=&source=&freshness="""

    task = AsciiIntegerField(
        required=False, min_value=TASK_NUMBERS.start, max_value=TASK_NUMBERS.stop - 1, label=_("Task")
    )
    sector = forms.SlugField(required=False, max_length=50, label=_("Sector"))
    source = forms.SlugField(required=False, max_length=40, label=_("Source"))
    freshness = forms.ChoiceField(required=False, choices=FRESHNESS_CHOICES, label=_("Freshness"))

    def offer(self, *, tasks, sectors, sources) -> IndicatorListFilterForm:
        """Render task, sector and source as selects of what the page lists, labelled in the active language."""
        options = {
            "task": [("", _("All tasks"))]
            + [(task.number, f"{task.number}. {localized(task, 'title')}") for task in tasks],
            "sector": [("", _("All sectors"))] + [(sector.slug, localized(sector, "name")) for sector in sectors],
            "source": [("", _("All sources"))] + [(source.key, localized(source, "name")) for source in sources],
        }
        for name, choices in options.items():
            self.fields[name].widget = forms.Select(choices=choices)
        return self


class SeriesFilterForm(FilterForm):
    """An indicator's series: which geographies, which years and, on the page, chart or table.

    `geographies` is a callable returning the indicator's own geography codes, so a request without
    `geo` runs no query for them.
    """

    view = forms.ChoiceField(required=False, choices=[(view, view) for view in VIEWS])
    geo = forms.MultipleChoiceField(required=False)
    start = AsciiIntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    end = AsciiIntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def __init__(self, data, *, geographies: Callable[[], Iterable[str]], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["geo"].choices = lambda: [(code, code) for code in geographies()]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The last year comes before the first."))
        return cleaned


class ChangesFilterForm(FilterForm):
    """/changes/?kind=&task=&indicator="""

    kind = forms.ChoiceField(
        required=False, choices=[("", _("Every kind"))] + [(kind, KIND_LABELS[kind]) for kind in KINDS]
    )
    task = AsciiIntegerField(required=False, min_value=TASK_NUMBERS.start, max_value=TASK_NUMBERS.stop - 1)
    indicator = forms.SlugField(required=False, max_length=60)
