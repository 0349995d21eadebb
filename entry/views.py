"""The analyst workspace. Views parse with a form, check permission, call a selector or service, render.

Every write is checked here on the server whatever the page shows: login first (anonymous visitors go
to sign-in), then the model permission (others get 403), then per-object rules.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required as django_login_required
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from accounts.services import user_can_enter_on, user_can_revert
from config.rendering import render_page
from entry import selectors
from entry.forms import (
    AssessmentForm,
    CorrectionQueryForm,
    DisagreementResolveForm,
    ObservationForm,
    RevertForm,
    UploadConfirmForm,
    UploadForm,
)
from entry.models import PendingUpload
from entry.services import upload_workflow
from indicators.models import Disagreement, Indicator, Observation, ObservationRevision
from indicators.services.disagreements import disagreement_resolve
from indicators.services.observations import (
    ObservationConflict,
    Outcome,
    observation_label,
    observation_record,
    observation_revert,
)
from indicators.services.uploads import UploadConflict
from tasks.models import Commitment, ProgressStatus
from tasks.services.assessments import commitment_assess


def login_required(view):
    """Django's login_required, except that an htmx request whose session expired loads the sign-in page
    as a whole page instead of swapping it into a fragment."""
    guarded = django_login_required(view)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.htmx and not request.user.is_authenticated:
            back_to = request.htmx.current_url_abs_path or request.get_full_path()
            return HttpResponseClientRedirect(redirect_to_login(back_to)["Location"])
        return guarded(request, *args, **kwargs)

    return wrapper


def _indicator_for_entry(request, code: str) -> Indicator:
    indicator = get_object_or_404(Indicator.objects.select_related("source"), code=code)
    if not user_can_enter_on(request.user, indicator):
        raise PermissionDenied(_("Values of this indicator arrive from its source; only admins enter them."))
    return indicator


@require_safe
@login_required
@permission_required("indicators.add_observation", raise_exception=True)
def workspace(request):
    """The indicators this analyst enters, overdue first."""
    rows = selectors.workspace_indicators(user=request.user, today=timezone.localdate())
    open_disagreements = selectors.disagreements_open().count()
    return render(request, "entry/workspace.html", {"rows": rows, "open_disagreements": open_disagreements})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@permission_required(["indicators.add_observation", "indicators.change_observation"], raise_exception=True)
def indicator_entry(request, code: str):
    """Add a figure, or correct one in place (`?observation=<id>` fills the form with it)."""
    indicator = _indicator_for_entry(request, code)
    saved = ""
    if request.method == "POST":
        form = ObservationForm(request.POST, indicator=indicator)
        if form.is_valid() and (result := _record(request, form)):
            saved = _saved_message(result)
            if response := _redirect_unless_htmx(request, saved, "entry:indicator", code=indicator.code):
                return response
            form = ObservationForm(indicator=indicator)
    else:
        form = _entry_form(request, indicator)
    observations = selectors.indicator_recent_observations(indicator=indicator)
    context = {"indicator": indicator, "form": form, "saved": saved, "observations": observations}
    return render_page(
        request,
        "entry/indicator_entry.html",
        context,
        partials={"entry-form": "entry-result" if saved else "entry-form"},
    )


def _redirect_unless_htmx(request, message: str, to: str, **url_args) -> HttpResponse | None:
    """After a save: a plain post is told `message` on the page it is redirected to (post/redirect/get).

    An htmx post gets None: the view renders its panel again in place, with a fresh form.
    """
    if request.htmx:
        return None
    messages.success(request, message)
    return redirect(to, **url_args)


def _entry_form(request, indicator: Indicator) -> ObservationForm:
    """A blank form, or the correction form of the figure `?observation=<id>` names."""
    if observation_id := CorrectionQueryForm(request.GET).observation_id():
        observation = get_object_or_404(
            Observation.objects.select_related("indicator"), pk=observation_id, indicator=indicator
        )
        return ObservationForm.for_observation(observation)
    return ObservationForm(indicator=indicator)


def _saved_message(result) -> str:
    message = _("%(label)s: %(outcome)s.") % {
        "label": observation_label(result.observation),
        "outcome": {
            Outcome.CREATED: _("value added"),
            Outcome.CORRECTED: _("value corrected, the old value is in its history"),
            Outcome.UNCHANGED: _("same value and citation as stored, nothing changed"),
        }[result.outcome],
    }
    if result.observation.review_state == Observation.ReviewState.PENDING:
        message += " " + _("It waits for another analyst or an admin to approve it before the public sees it.")
    return message


def _record(request, form: ObservationForm):
    """The service's verdict as form errors: a stale version shows the newer value and arms a deliberate re-save."""
    data = form.cleaned_data
    try:
        return observation_record(
            indicator=form.indicator,
            geography=data["geography"],
            period=data["period"],
            value=data["value"],
            citation=data["citation"],
            note=data["note"],
            flags=form.flags,
            user=request.user,
            expected_version=data["expected_version"],
            confirm_out_of_range=data["confirm_out_of_range"],
        )
    except ObservationConflict as conflict:
        form.add_error(None, str(conflict))
        form.data = form.data.copy()
        form.data["expected_version"] = conflict.current.version if conflict.current else ""
    except ValidationError as error:
        form.add_error(None, error)
    return None


@require_safe
@login_required
@permission_required("indicators.add_observation", raise_exception=True)
def indicator_template(request, code: str, fmt: str):
    """The upload template for one indicator, holding the figures stored now."""
    template = upload_workflow.upload_template(indicator=_indicator_for_entry(request, code), fmt=fmt)
    response = HttpResponse(template.body, content_type=template.content_type)
    response["Content-Disposition"] = f'attachment; filename="{template.filename}"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@permission_required(["indicators.add_observation", "indicators.change_observation"], raise_exception=True)
def indicator_upload(request, code: str):
    """Read and check a file; show every row's problems, or what would change. Nothing is written here."""
    indicator = _indicator_for_entry(request, code)
    form, check = UploadForm(), upload_workflow.UploadCheck()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded_file = form.cleaned_data["file"]
            check = upload_workflow.upload_check(indicator=indicator, user=request.user, uploaded_file=uploaded_file)
    context = {
        "indicator": indicator,
        "form": form,
        "preview": check.preview,
        "pending": check.pending,
        "refused": check.refused,
        "confirm_form": UploadConfirmForm(),
    }
    return render(request, "entry/indicator_upload.html", context)


@require_POST
@login_required
@permission_required(["indicators.add_observation", "indicators.change_observation"], raise_exception=True)
def upload_confirm(request, token):
    """Write a previewed upload in one transaction, or nothing."""
    try:
        pending = upload_workflow.pending_upload_get(token=token, user=request.user)
    except PendingUpload.DoesNotExist:
        raise Http404 from None
    indicator = _indicator_for_entry(request, pending.indicator.code)
    form = UploadConfirmForm(request.POST)
    form.is_valid()
    try:
        counts = upload_workflow.upload_confirm(pending=pending, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        context = {"indicator": indicator, "pending": pending, "confirm_form": form, "form": UploadForm()}
        return render(request, "entry/indicator_upload.html", context)
    except UploadConflict as conflict:
        context = {"indicator": indicator, "form": UploadForm(), "conflict": conflict}
        return render(request, "entry/indicator_upload.html", context, status=409)
    message = _("Upload written: %(created)s values added, %(corrected)s corrected.") % counts
    if counts["pending"]:
        message += " " + _("They wait, as one batch, for another analyst or an admin to approve them.")
    messages.success(request, message)
    return redirect("entry:indicator", code=indicator.code)


@require_safe
@login_required
@permission_required("indicators.view_observation", raise_exception=True)
def observation_history(request, pk: int):
    """Every value this figure has had: who replaced it, when, why, from what to what."""
    try:
        observation = selectors.observation_with_history(pk=pk)
    except Observation.DoesNotExist:
        raise Http404 from None
    context = {"observation": observation, "can_revert": user_can_revert(request.user), "form": RevertForm()}
    return render(request, "entry/observation_history.html", context)


@require_POST
@login_required
@permission_required(["indicators.change_observation", "indicators.change_indicator"], raise_exception=True)
def revision_revert(request, pk: int):
    """Admins put back the value a revision replaced; the value it replaces joins the history too."""
    if not user_can_revert(request.user):
        raise PermissionDenied
    revision = get_object_or_404(ObservationRevision, pk=pk)
    form = RevertForm(request.POST)
    if form.is_valid():
        try:
            observation_revert(
                revision=revision, user=request.user, expected_version=form.cleaned_data["expected_version"]
            )
        except (ObservationConflict, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Value reverted; the value it replaced is in the history."))
    else:
        messages.error(request, _("The form was incomplete; reload the page and try again."))
    return redirect("entry:observation_history", pk=revision.observation_id)


@require_safe
@login_required
@permission_required("indicators.view_disagreement", raise_exception=True)
def disagreement_list(request):
    """Pulled figures that differ from analysts' values, waiting for someone to choose."""
    return render(request, "entry/disagreement_list.html", {"disagreements": selectors.disagreements_open()})


@require_POST
@login_required
@permission_required(["indicators.change_disagreement", "indicators.change_observation"], raise_exception=True)
def disagreement_resolve_view(request, pk: int):
    disagreement = get_object_or_404(Disagreement.objects.select_related("observation__indicator"), pk=pk)
    if not user_can_enter_on(request.user, disagreement.observation.indicator):
        raise PermissionDenied
    form = DisagreementResolveForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            disagreement = disagreement_resolve(
                disagreement=disagreement,
                resolution=form.cleaned_data["resolution"],
                user=request.user,
                expected_version=form.cleaned_data["expected_version"],
            )
        except (ObservationConflict, ValidationError) as problem:
            error = " ".join(getattr(problem, "messages", [str(problem)]))
    else:
        error = _("Choose to keep the analyst value or take the source value.")
    if request.htmx:
        disagreement = selectors.disagreements_with_observation().get(pk=pk)
        context = {"disagreement": disagreement, "error": error}
        return render(request, "entry/disagreement_list.html#disagreement-row", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Disagreement resolved."))
    return redirect("entry:disagreements")


@require_safe
@login_required
@permission_required("tasks.add_assessment", raise_exception=True)
def commitment_list(request):
    context = {"commitments": selectors.commitments_with_latest_assessment(), "status_choices": ProgressStatus.choices}
    return render(request, "entry/commitment_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@permission_required("tasks.add_assessment", raise_exception=True)
def commitment_assess_view(request, code: str):
    """Record a new assessment; earlier ones stay listed below it."""
    commitment = get_object_or_404(Commitment.objects.select_related("task"), code=code)
    form = AssessmentForm(request.POST or None, initial={"assessed_on": timezone.localdate()})
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            commitment_assess(commitment=commitment, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            recorded = _("Assessment recorded.")
            if response := _redirect_unless_htmx(request, recorded, "entry:commitment", code=commitment.code):
                return response
            form, saved = AssessmentForm(initial={"assessed_on": timezone.localdate()}), True
    assessments = selectors.commitment_assessments(commitment=commitment)
    context = {"commitment": commitment, "form": form, "saved": saved, "assessments": assessments}
    return render_page(
        request, "entry/commitment_assess.html", context, partials={"assessment-panel": "assessment-panel"}
    )
