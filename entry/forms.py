"""Forms of the analyst workspace. They parse and explain; the services decide and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from indicators.models import Disagreement, Geography, Indicator
from indicators.periods import PeriodError, format_period, parse_period
from indicators.services.observation_writes import (
    out_of_range_message,
    plausible_range_label,
    value_outside_plausible_range,
    value_parse,
)
from indicators.services.observations import CITATION_MAX_LENGTH, NOTE_MAX_LENGTH, Flags, citation_clean
from tasks.models import ProgressStatus
from tasks.services.assessments import evidence_links_clean

_PERIOD_EXAMPLES = {"annual": "2023", "quarterly": "2023-Q2", "monthly": "2023-04"}
_LARGEST_ID = 2**63 - 1  # BigAutoField; a longer number overflows SQLite's integer before any lookup


class CorrectionQueryForm(forms.Form):
    """`?observation=<id>` on the entry page: the figure to correct. Anything but a plain id is ignored."""

    observation = forms.IntegerField(required=False, min_value=1, max_value=_LARGEST_ID)

    def observation_id(self) -> int | None:
        return self.cleaned_data["observation"] if self.is_valid() else None


class ObservationForm(forms.Form):
    """One figure for one geography and period; `expected_version` is the version the editor saw."""

    geography = forms.ModelChoiceField(queryset=Geography.objects.none(), label=_("Geography"), empty_label=None)
    period = forms.CharField(label=_("Period"), max_length=10)
    value = forms.CharField(label=_("Value"), max_length=40)
    citation = forms.CharField(
        label=_("Source citation"),
        max_length=CITATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("An http(s) URL, or the document: issuer, title, date or number, page."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_provisional = forms.BooleanField(label=capfirst(_("provisional")), required=False)
    is_estimated = forms.BooleanField(label=capfirst(_("estimated")), required=False)
    is_break = forms.BooleanField(label=capfirst(_("break in series")), required=False)
    confirm_out_of_range = forms.BooleanField(label=_("I checked this value: it is right"), required=False)
    expected_version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        geographies = Geography.objects.all()
        if indicator.geographies.exists():
            geographies = indicator.geographies.all()
        self.fields["geography"].queryset = geographies.order_by("position", "code")
        example = _PERIOD_EXAMPLES[indicator.frequency]
        self.fields["period"].help_text = _("%(frequency)s period, written like %(example)s") % {
            "frequency": indicator.get_frequency_display(),
            "example": example,
        }
        self.fields["period"].widget.attrs["placeholder"] = example
        self.fields["value"].label = _("Value (%(unit)s)") % {"unit": indicator.unit}
        self.fields["value"].widget.attrs["inputmode"] = "decimal"
        plausible = plausible_range_label(indicator)
        if plausible:
            # Django renders help_text as HTML; the unit is text an admin typed.
            self.fields["value"].help_text = _("Plausible range: %(range)s") % {"range": escape(plausible)}

    @classmethod
    def for_observation(cls, observation, **kwargs):
        """A correction form filled with the stored figure and the version it was loaded at."""
        indicator = observation.indicator
        initial = {
            "geography": observation.geography_id,
            "period": format_period(observation.period, indicator.frequency),
            "value": f"{observation.value.normalize():f}",
            "citation": observation.citation,
            "note": observation.note,
            "is_provisional": observation.is_provisional,
            "is_estimated": observation.is_estimated,
            "is_break": observation.is_break,
            "expected_version": observation.version,
        }
        return cls(indicator=indicator, initial=initial, **kwargs)

    @property
    def flags(self) -> Flags:
        """The flags ticked, in the order the write core takes them (after is_valid)."""
        return Flags(*(self.cleaned_data[name] for name in Flags._fields))

    @property
    def flag_fields(self) -> list:
        return [self[name] for name in Flags._fields]

    @property
    def asks_confirmation(self) -> bool:
        return "confirm_out_of_range" in self.errors or bool(self.data.get("confirm_out_of_range"))

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"], self.indicator.frequency)
        except PeriodError as error:
            raise ValidationError(str(error)) from None

    def clean_value(self):
        return value_parse(self.cleaned_data["value"])

    def clean_citation(self):
        return citation_clean(self.cleaned_data["citation"])

    def clean(self):
        """Period and citation are checked field by field; the range needs the value and the checkbox together."""
        cleaned = super().clean()
        value = cleaned.get("value")
        unconfirmed = not cleaned.get("confirm_out_of_range")
        if value is not None and unconfirmed and value_outside_plausible_range(self.indicator, value):
            self.add_error("confirm_out_of_range", out_of_range_message(self.indicator, value))
        return cleaned


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV (UTF-8) or XLSX file"), help_text=_("At most 5 MB and 50,000 rows."))


class UploadConfirmForm(forms.Form):
    confirm_out_of_range = forms.BooleanField(
        label=_("I checked the values outside the plausible range: they are right"), required=False
    )
    confirm_scale = forms.BooleanField(
        label=_("I checked this file: its values belong to this indicator, on its scale"), required=False
    )


class RevertForm(forms.Form):
    expected_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class DisagreementResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        choices=[
            (Disagreement.Resolution.KEPT_ANALYST, _("Keep analyst value")),
            (Disagreement.Resolution.TOOK_SOURCE, _("Take source value")),
        ]
    )
    expected_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class AssessmentForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProgressStatus.choices)
    note = forms.CharField(label=_("Evidence note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    evidence_links = forms.CharField(
        label=_("Evidence links"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One http(s) URL per line."),
    )
    assessed_on = forms.DateField(label=_("Assessed on"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_evidence_links(self):
        return evidence_links_clean(self.cleaned_data["evidence_links"].splitlines())

    def clean_assessed_on(self):
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on > timezone.localdate():
            raise ValidationError(_("An assessment cannot be dated in the future."))
        return assessed_on
