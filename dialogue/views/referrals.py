"""Referrals on a concern's page: link the foreign measures behind it, propose referrals to
support organizations and schemes, record how each goes (consent is the company's)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogue.forms import ConcernMeasuresForm, ReferralProposeForm, ReferralStatusForm
from dialogue.forms.errors import add_service_errors
from dialogue.selectors.referrals import concern_measures, referral_get
from dialogue.selectors.support import referral_targets
from dialogue.services.common import PermissionDeniedError, StaleVersionError
from dialogue.services.referrals import (
    concern_link_measures,
    referral_change_status,
    referrals_propose,
)
from dialogue.views.access import official_required
from dialogue.views.concerns import STALE_MESSAGE, _handled_concern, _rerender, concern_url


@official_required
@require_POST
def concern_measures_link(request, pk: int):
    concern = _handled_concern(request.user, pk)
    form = ConcernMeasuresForm(
        request.POST,
        concern=concern,
        user=request.user,
        linked=concern_measures(request.user, concern),
    )
    if form.is_valid():
        try:
            concern_link_measures(
                concern=concern, actor=request.user, measures=form.cleaned_data["foreign_measures"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(request, _("The foreign measures behind the concern were saved."))
            return redirect(concern_url(concern) + "#referrals")
    return _rerender(request, concern, measures_form=form)


@official_required
@require_POST
def concern_refer(request, pk: int):
    concern = _handled_concern(request.user, pk)
    organizations, schemes = referral_targets(request.user)
    form = ReferralProposeForm(request.POST, organizations=organizations, schemes=schemes)
    if form.is_valid():
        try:
            referrals_propose(
                concern=concern,
                actor=request.user,
                organizations=list(form.cleaned_data["organizations"]),
                schemes=list(form.cleaned_data["schemes"]),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(
                request,
                _("The referral was proposed. The company is asked for its consent."),
            )
            return redirect(concern_url(concern) + "#referrals")
    return _rerender(request, concern, refer_form=form)


@official_required
@require_POST
def referral_status(request, pk: int, number: int):
    concern = _handled_concern(request.user, pk)
    referral = referral_get(request.user, concern, number)
    form = ReferralStatusForm(request.POST, referral=referral, prefix=f"r{number}")
    if form.is_valid():
        try:
            referral_change_status(
                referral=referral,
                actor=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError:
            form.add_error(None, STALE_MESSAGE)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(request, _("The referral's status has been changed."))
            return redirect(concern_url(concern) + "#referrals")
    return _rerender(request, concern, **{f"referral_{number}_form": form})
