"""Forms of the review queue: a decision with its reason, a proposed withdrawal."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from indicators.services.review import REASON_MAX_LENGTH

APPROVE = "approve"
REJECT = "reject"


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))])
    reason = forms.CharField(required=False, max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == REJECT and not (data.get("reason") or "").strip():
            raise ValidationError({"reason": _("Give the reason for rejecting, so the analyst knows what to fix.")})
        return data


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the figure is wrong; another analyst or an admin approves the withdrawal."),
    )
