"""Referrals in the portal: the company consents to (or declines) a referral proposed on its
concern, and finds which support fits its situation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dialogue.enums import ReferralStatus
from dialogue.portal import selectors
from dialogue.portal.access import bound, company_required
from dialogue.portal.forms import ReferralAnswerForm, SupportFinderForm
from dialogue.portal.views.concerns import concern_url
from dialogue.selectors.referrals import referral_get
from dialogue.selectors.support import support_fitting, threat_codes
from dialogue.services.common import PermissionDeniedError, StaleVersionError
from dialogue.services.referrals import referral_respond


@company_required
@require_http_methods(["GET", "POST"])
def referral_answer(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    concern = selectors.concern_get(request.user, reference)
    referral = referral_get(request.user, concern, number)
    if referral.status != ReferralStatus.PROPOSED:
        messages.info(request, _("This referral has already been answered."))
        return redirect(concern_url(concern) + "#referrals")
    form = ReferralAnswerForm(*bound(request), initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        consent = form.cleaned_data["answer"] == "consent"
        try:
            referral_respond(
                referral=referral,
                actor=request.user,
                consent=consent,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError:
            messages.error(
                request,
                _("The referral changed while you were looking at it. Please review it again."),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            if consent:
                messages.success(request, _("Thank you. Your consent has been recorded."))
            else:
                messages.success(request, _("The referral has been declined."))
        return redirect(concern_url(concern) + "#referrals")
    return render(
        request,
        "portal/concerns/referral_answer.html",
        {
            "title": f"{_('Referral to support')} {concern.reference}",
            "section": "concerns",
            "concern": concern,
            "referral": referral,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@company_required
@require_GET
def support_finder(request: HttpRequest) -> HttpResponse:
    """Which help fits my situation: the catalogue for my organization's sectors and size,
    and the threat code I choose."""
    user = request.user
    codes = threat_codes(user)
    form = SupportFinderForm(request.GET or None, codes=codes)
    code = form.cleaned_data["threat_code"] if form.is_valid() else ""
    sectors = list(selectors.organization_sectors(user))
    fit = support_fitting(
        user, sectors=sectors, size_class=user.organization.size_class, threat_code=code
    )
    return render(
        request,
        "portal/support.html",
        {
            "title": _("Which help fits my situation"),
            "section": "guidance",
            "form": form,
            "sectors": sectors,
            "size": user.organization.get_size_class_display(),
            "fit": fit,
        },
    )
