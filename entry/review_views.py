"""The review queue: approve or reject analysts' pending figures, uploads and proposed withdrawals; restore figures.

The same checks as the rest of the workspace (login, then the model permission); the services refuse
self-approval and let only admins restore.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.services import user_can_revert
from entry import review_selectors
from entry.review_forms import APPROVE, ReviewDecisionForm, WithdrawalForm
from entry.views import login_required
from indicators.models import Observation
from indicators.services import review

REVIEW_PERMISSION = "indicators.change_observation"


def reviewer_required(view):
    """Sign-in first, then the review permission (403 without it), as on every page of the queue."""
    return login_required(permission_required(REVIEW_PERMISSION, raise_exception=True)(view))


def _attempt(request, action, success: str) -> None:
    """Run one review service call; its refusal becomes the error message instead of the success one."""
    try:
        action()
        messages.success(request, success)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))


@require_safe
@reviewer_required
def review_queue(request):
    """Everything waiting for a second pair of eyes, and what was withdrawn."""
    context = {
        "observations": review_selectors.pending_observations(user=request.user),
        "batches": review_selectors.pending_batches(user=request.user),
        "withdrawals": review_selectors.pending_withdrawals(user=request.user),
        "withdrawn": review_selectors.withdrawn_observations(),
        "can_restore": user_can_revert(request.user),
        "review_required": review.review_required(),
    }
    return render(request, "entry/review_queue.html", context)


def _figures_approved(count: int) -> str:
    return _("%(count)s figure(s) approved and published.") % {"count": count}


def _figures_rejected(count: int) -> str:
    return _("%(count)s figure(s) rejected.") % {"count": count}


def _decide(request, approve, reject, *, approved=_figures_approved, rejected=_figures_rejected, **target):
    """Run the decision the form asks for, saying what it did with what the service returned; a refusal becomes
    a message on the queue."""
    form = ReviewDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect("entry:review_queue")
    try:
        if form.cleaned_data["decision"] == APPROVE:
            messages.success(request, approved(approve(user=request.user, **target)))
        else:
            messages.success(request, rejected(reject(user=request.user, reason=form.cleaned_data["reason"], **target)))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("entry:review_queue")


@require_POST
@reviewer_required
def observation_review(request, pk: int):
    return _decide(request, review.observation_approve, review.observation_reject, observation_id=pk)


@require_POST
@reviewer_required
def batch_review(request, batch):
    return _decide(request, review.batch_approve, review.batch_reject, batch=batch)


@require_POST
@reviewer_required
def withdrawal_propose(request, pk: int):
    """Ask for a published figure to be withdrawn, with the reason."""
    observation = get_object_or_404(Observation, pk=pk)
    form = WithdrawalForm(request.POST)

    def propose() -> None:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        review.withdrawal_propose(observation_id=observation.pk, user=request.user, reason=form.cleaned_data["reason"])

    _attempt(request, propose, _("Withdrawal proposed; it takes effect once someone else approves it."))
    return redirect("entry:observation_history", pk=observation.pk)


@require_POST
@reviewer_required
def withdrawal_review(request, pk: int):
    """Approve a proposed withdrawal (the figure leaves public pages) or decline it with the reason."""
    return _decide(
        request,
        review.withdrawal_approve,
        review.withdrawal_decline,
        approved=lambda _observation: _("Withdrawn: the figure left public pages and downloads; its record stays."),
        rejected=lambda _observation: _("Withdrawal declined: the figure stays public; the reason is on its record."),
        observation_id=pk,
    )


@require_POST
@reviewer_required
def withdrawal_restore(request, pk: int):
    observation = get_object_or_404(Observation, pk=pk)
    _attempt(
        request,
        lambda: review.withdrawal_restore(observation_id=observation.pk, user=request.user),
        _("Restored: the figure is public again."),
    )
    return redirect("entry:review_queue")
