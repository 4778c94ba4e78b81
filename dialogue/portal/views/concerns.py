"""My organization's concerns: list, submit, detail with the thread, reply, withdraw, download."""

from __future__ import annotations

import math

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dialogue.downloads import attachment_response
from dialogue.enums import ConcernStatus
from dialogue.portal import selectors
from dialogue.portal.access import bound, company_required
from dialogue.portal.forms import ConcernForm, ReplyForm, VersionForm, add_service_errors
from dialogue.portal.throttles import PortalConcernSubmitThrottle
from dialogue.selectors.referrals import concern_measures, concern_referrals
from dialogue.services.common import PermissionDeniedError, StaleVersionError
from dialogue.services.concerns import concern_change_status
from dialogue.services.submissions import concern_reply_once, concern_submit_once
from dialogue.workflows import CONCERN_TRANSITIONS, allowed_next

PAGE_SIZE = 25
CLOSED = {ConcernStatus.CLOSED, ConcernStatus.WITHDRAWN}
ERROR_FIELDS = {"file": "attachments", "body": "body"}


def _may_withdraw(concern) -> bool:
    return ConcernStatus.WITHDRAWN in allowed_next(CONCERN_TRANSITIONS, concern.status)


@company_required
@require_GET
def concern_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ConcernStatus.values:
        status = ""
    page = Paginator(selectors.concern_list(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/concerns/list.html",
        {
            "title": _("My organization's concerns"),
            "section": "concerns",
            "page": page,
            "status": status,
            "statuses": ConcernStatus.choices,
        },
    )


def _throttled_message(wait: float, throttle: PortalConcernSubmitThrottle) -> str:
    minutes = max(1, math.ceil(wait / 60))
    return ngettext(
        "You have submitted %(count)d concerns within the last %(period)s, the most allowed. "
        "Please try again in %(minutes)d minute.",
        "You have submitted %(count)d concerns within the last %(period)s, the most allowed. "
        "Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"count": throttle.num_requests, "period": _period(throttle.duration), "minutes": minutes}


def _period(seconds: int) -> str:
    return {1: _("second"), 60: _("minute"), 3600: _("hour"), 86400: _("day")}.get(
        seconds, _("%(seconds)d seconds") % {"seconds": seconds}
    )


@company_required
@require_http_methods(["GET", "POST"])
def concern_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ConcernForm(*bound(request), user=user)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        earlier = selectors.submission_get(user, data["submission_key"])
        if earlier is not None:
            messages.info(request, _("This form was already sent; here is the concern it created."))
            return redirect(concern_url(earlier))
        throttle = PortalConcernSubmitThrottle(request)
        wait = throttle.wait_seconds()
        if wait is not None:
            form.add_error(None, _throttled_message(wait, throttle))
            status = 429
        else:
            try:
                concern, created = concern_submit_once(
                    user=user,
                    submission_key=data["submission_key"],
                    sector=data["sector"],
                    category=data["category"],
                    title=data["title"],
                    description=data["description"],
                    desired_support=data["desired_support"],
                    marking=data["marking"],
                    uploads=data["attachments"],
                )
            except ValidationError as error:
                add_service_errors(form, error, ERROR_FIELDS)
                status = 400
            else:
                if created:
                    throttle.record()
                    messages.success(
                        request,
                        _(
                            "Your concern %(reference)s has been submitted. "
                            "The officials in charge are notified."
                        )
                        % {"reference": concern.reference},
                    )
                else:
                    messages.info(
                        request, _("This form was already sent; here is the concern it created.")
                    )
                return redirect(concern_url(concern))
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "portal/concerns/create.html",
        {"title": _("Submit a concern"), "section": "concern-create", "form": form},
        status=status,
    )


def _render_detail(request, concern, *, reply_form=None, status=200) -> HttpResponse:
    thread = selectors.concern_thread(request.user, concern)
    if reply_form is None and concern.status not in CLOSED:
        reply_form = ReplyForm(attached=thread.attachment_count)
    return render(
        request,
        "portal/concerns/detail.html",
        {
            "title": f"{concern.reference} {concern.title}",
            "section": "concerns",
            "concern": concern,
            "thread": thread,
            "reply_form": reply_form if concern.status not in CLOSED else None,
            "may_withdraw": _may_withdraw(concern),
            "referrals": concern_referrals(request.user, concern),
            "measures": concern_measures(request.user, concern),
        },
        status=status,
    )


@company_required
@require_GET
def concern_detail(request: HttpRequest, reference: str) -> HttpResponse:
    concern = selectors.concern_get(request.user, reference)
    return _render_detail(request, concern)


@company_required
@require_POST
def concern_reply(request: HttpRequest, reference: str) -> HttpResponse:
    concern = selectors.concern_get(request.user, reference)
    thread = selectors.concern_thread(request.user, concern)
    form = ReplyForm(request.POST, request.FILES, attached=thread.attachment_count)
    if concern.status in CLOSED:
        messages.error(request, _("This concern is closed; it no longer takes replies."))
        return redirect(concern_url(concern))
    if form.is_valid():
        try:
            _message, created = concern_reply_once(
                user=request.user,
                submission_key=form.cleaned_data["submission_key"],
                concern=concern,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            add_service_errors(form, error, ERROR_FIELDS)
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            if created:
                messages.success(request, _("Your reply has been sent."))
            return redirect(f"{concern_url(concern)}#thread-end")
    return _render_detail(request, concern, reply_form=form, status=400)


def concern_url(concern) -> str:
    return reverse("portal:concern-detail", kwargs={"reference": concern.reference})


@company_required
@require_http_methods(["GET", "POST"])
def concern_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    concern = selectors.concern_get(request.user, reference)
    if not _may_withdraw(concern):
        messages.error(request, _("This concern can no longer be withdrawn."))
        return redirect(concern_url(concern))
    form = VersionForm(*bound(request), initial={"version": concern.version})
    if request.method == "POST" and form.is_valid():
        try:
            concern_change_status(
                concern=concern,
                actor=request.user,
                status=ConcernStatus.WITHDRAWN,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError:
            messages.error(
                request,
                _("The concern changed while you were looking at it. Please review it again."),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(
                request,
                _("The concern %(reference)s has been withdrawn.")
                % {"reference": concern.reference},
            )
        return redirect(concern_url(concern))
    return render(
        request,
        "portal/concerns/withdraw.html",
        {
            "title": f"{_('Withdraw the concern')} {concern.reference}",
            "section": "concerns",
            "concern": concern,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@company_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Only through `visible_to(user)`: another organization's file is a 404 like a missing one."""
    return attachment_response(selectors.attachment_get(request.user, pk), request=request)
