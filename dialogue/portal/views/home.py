"""The portal's start page, alerts and guidance, and the person's own account."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dialogue.audit import audit_token_revoked
from dialogue.models import ApiToken
from dialogue.portal import selectors
from dialogue.portal.access import bound, company_required
from dialogue.portal.forms import AccountForm, add_service_errors
from dialogue.portal.views.auth import remember_language
from dialogue.services.accounts import user_set_language
from dialogue.services.invitations import organization_display_name
from dialogue.services.notices import user_set_notice_frequency
from dialogue.services.tokens import api_token_list, api_token_revoke
from dialogue.views.confirm import ask_before_revoking

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
    form = AccountForm(
        *bound(request),
        initial={"language": user.language, "notice_frequency": user.notice_frequency},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user_set_language(user=user, language=form.cleaned_data["language"])
                user_set_notice_frequency(
                    user=user,
                    frequency=form.cleaned_data["notice_frequency"] or user.notice_frequency,
                )
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
            "tokens": api_token_list(user),
            "token_days": settings.API_TOKEN_TTL_DAYS,
        },
        status=400 if form.errors else 200,
    )


@company_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the person's own API tokens; anyone else's is "not found"."""
    mine = ApiToken.objects.visible_to(request.user).filter(pk=pk).first()
    if mine is None:
        raise Http404
    asking = ask_before_revoking(
        request, mine, cancel_url=reverse("portal:account"), base="portal/base.html"
    )
    if asking:
        return asking
    try:
        token = api_token_revoke(user=request.user, token_id=pk)
    except ApiToken.DoesNotExist as missing:
        raise Http404 from missing
    audit_token_revoked(request, token, reason="revoked")
    messages.success(request, _("The API token has been revoked."))
    return redirect("portal:account")
