"""The portal's start page, alerts and guidance, and the person's own account."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dialogue.portal import selectors
from dialogue.portal.access import bound, company_required
from dialogue.portal.forms import AccountForm, add_service_errors
from dialogue.portal.views.auth import remember_language
from dialogue.services.accounts import user_set_language
from dialogue.services.invitations import organization_display_name

HOME_LIMIT = 5


@company_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    concerns = selectors.concern_list(user).filter(status__in=selectors.OPEN_CONCERN_STATUSES)
    return render(
        request,
        "portal/home.html",
        {
            "title": _("Home"),
            "section": "home",
            "concerns": concerns[:HOME_LIMIT],
            "actions": selectors.open_actions(user)[:HOME_LIMIT],
            "measures": selectors.foreign_measures_for(user)[:3],
        },
    )


@company_required
@require_GET
def guidance(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "portal/guidance.html",
        {
            "title": _("Alerts and guidance"),
            "section": "guidance",
            "sectors": selectors.organization_sectors(user),
            "measures": selectors.foreign_measures_for(user),
            "codes": selectors.my_threat_codes(user),
            "practices": selectors.best_practices_for(user),
        },
    )


@company_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AccountForm(*bound(request), initial={"language": user.language})
    if request.method == "POST" and form.is_valid():
        try:
            user_set_language(user=user, language=form.cleaned_data["language"])
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            response = redirect("portal:account")
            remember_language(response, user.language)
            messages.success(request, _("Your settings have been saved."))
            return response
    language = (request.LANGUAGE_CODE or "ja")[:2]
    return render(
        request,
        "portal/account.html",
        {
            "title": _("My account"),
            "section": "account",
            "form": form,
            "organization_name": organization_display_name(user.organization, language),
        },
        status=400 if form.errors else 200,
    )
