"""Outreach notices in the workspace: list, write, publish (after a confirmation page),
withdraw, and the reach of a published notice."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dialogue.enums import NoticeStatus
from dialogue.forms import add_service_errors
from dialogue.forms.notices import NoticeForm
from dialogue.models import Notice
from dialogue.permissions import can_manage_sectors
from dialogue.selectors.notices import notice_get, notice_links, notice_list, notice_reach
from dialogue.services.common import PermissionDeniedError, StaleVersionError
from dialogue.services.notices import (
    notice_create,
    notice_publish,
    notice_update,
    notice_withdraw,
)
from dialogue.views.access import official_required
from dialogue.views.confirm import ask_first
from dialogue.views.history import change_history
from dialogue.views.lists import query_value

PAGE_SIZE = 25


def _may_change(user, notice: Notice) -> bool:
    return can_manage_sectors(user, list(notice.sectors.all()))


def _require_change(user, notice: Notice) -> None:
    if not _may_change(user, notice):
        raise PermissionDenied(_("You can write notices only for your own sectors."))


@official_required
@require_GET
def notice_list_view(request: HttpRequest) -> HttpResponse:
    status = query_value(request, "status")
    page = Paginator(notice_list(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dialogue/notices/list.html",
        {
            "title": _("Notices"),
            "page": page,
            "status": status,
            "statuses": NoticeStatus.choices,
        },
    )


@official_required
@require_http_methods(["GET", "POST"])
def notice_create_view(request: HttpRequest) -> HttpResponse:
    # Bound on any POST, even an empty one: it then says what is missing.
    data = request.POST if request.method == "POST" else None
    form = NoticeForm(data, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            notice = notice_create(actor=request.user, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDeniedError as error:
            form.add_error("sectors", str(error))
        else:
            messages.success(request, _("The notice has been saved as a draft."))
            return redirect("workspace:notice-detail", pk=notice.pk)
    return render(
        request,
        "dialogue/notices/form.html",
        {"title": _("New notice"), "form": form},
        status=400 if form.errors else 200,
    )


@official_required
@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notice_get(request.user, pk)
    return render(
        request,
        "dialogue/notices/detail.html",
        {
            "title": notice.title,
            "notice": notice,
            "links": notice_links(request.user, notice),
            "may_change": _may_change(request.user, notice),
            "history": change_history(notice, request.user),
        },
    )


@official_required
@require_http_methods(["GET", "POST"])
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notice_get(request.user, pk)
    _require_change(request.user, notice)
    data = request.POST if request.method == "POST" else None
    form = NoticeForm(data, user=request.user, notice=notice)
    status = 200
    if request.method == "POST" and form.is_valid():
        changes = form.service_changes()
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("workspace:notice-detail", pk=notice.pk)
        try:
            notice_update(
                notice=notice,
                actor=request.user,
                changes=changes,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError:
            form.add_error(
                None, _("Someone else changed this notice meanwhile. Reload it and edit again.")
            )
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDeniedError as error:
            form.add_error("sectors", str(error))
        else:
            messages.success(request, _("The notice has been saved."))
            return redirect("workspace:notice-detail", pk=notice.pk)
    if form.errors and status == 200:
        status = 400
    return render(
        request,
        "dialogue/notices/form.html",
        {"title": _("Edit notice"), "form": form, "notice": notice},
        status=status,
    )


def _transition(request: HttpRequest, notice: Notice, change, done: str) -> HttpResponse:
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        # The page it came from always sends the version it showed: without one, nothing
        # is changed (it could be based on an old read).
        messages.error(request, _("Someone else changed this notice meanwhile. Check it again."))
        return redirect("workspace:notice-detail", pk=notice.pk)
    try:
        change(notice=notice, actor=request.user, expected_version=version)
    except StaleVersionError:
        messages.error(request, _("Someone else changed this notice meanwhile. Check it again."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDeniedError as error:
        raise PermissionDenied(str(error)) from error
    else:
        messages.success(request, done)
    return redirect("workspace:notice-detail", pk=notice.pk)


@official_required
@require_http_methods(["GET", "POST"])
def notice_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what publishing will do (who it reaches, from when); POST: publish."""
    notice = notice_get(request.user, pk)
    _require_change(request.user, notice)
    if request.method == "POST":
        return _transition(request, notice, notice_publish, _("The notice has been published."))
    return render(
        request,
        "dialogue/notices/publish.html",
        {
            "title": _("Publish the notice"),
            "notice": notice,
            "links": notice_links(request.user, notice),
            "reach": notice_reach(notice),
        },
    )


@official_required
@require_POST
def notice_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notice_get(request.user, pk)
    _require_change(request.user, notice)
    asking = ask_first(
        request,
        title=_("Withdraw the notice"),
        question=_(
            "Withdraw “%(title)s”? Companies no longer see it, and a withdrawn notice "
            "cannot be published again."
        )
        % {"title": notice.title},
        button=_("Withdraw the notice"),
        cancel_url=reverse("workspace:notice-detail", args=[notice.pk]),
    )
    if asking:
        return asking
    return _transition(request, notice, notice_withdraw, _("The notice has been withdrawn."))


@official_required
@require_GET
def notice_reach_view(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notice_get(request.user, pk)
    return render(
        request,
        "dialogue/notices/reach.html",
        {"title": _("Reach"), "notice": notice, "reach": notice_reach(notice)},
    )
