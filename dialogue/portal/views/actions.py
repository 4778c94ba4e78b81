"""Follow-up actions on the company side: the owner updates the status and leaves a note."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dialogue.models import Concern
from dialogue.permissions import can_update_action_status
from dialogue.portal import selectors
from dialogue.portal.access import company_required
from dialogue.portal.forms import ActionStatusForm, add_service_errors
from dialogue.services.actions import action_change_status
from dialogue.services.common import PermissionDeniedError, StaleVersionError


@company_required
@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/actions/list.html",
        {
            "title": _("Follow-up actions"),
            "section": "actions",
            "actions": selectors.action_list(request.user),
        },
    )


def _render_detail(request, action, form=None, status=200) -> HttpResponse:
    may_update = can_update_action_status(request.user, action)
    if may_update and form is None:
        form = ActionStatusForm(action=action)
    source_concern = None
    if action.concern_id:
        source_concern = (
            Concern.objects.visible_to(request.user).filter(pk=action.concern_id).first()
        )
    return render(
        request,
        "portal/actions/detail.html",
        {
            "title": action.title,
            "section": "actions",
            "action": action,
            "form": form if may_update else None,
            "source_concern": source_concern,
        },
        status=status,
    )


@company_required
@require_GET
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.action_get(request.user, pk))


@company_required
@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(request.user, pk)
    if not can_update_action_status(request.user, action):
        raise PermissionDenied(_("Only the action's owner can change its status."))
    form = ActionStatusForm(request.POST, action=action)
    if form.is_valid():
        try:
            action_change_status(
                action=action,
                actor=request.user,
                status=form.cleaned_data["status"],
                completion_note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError:
            messages.error(
                request,
                _("The action changed while you were looking at it. Please review it again."),
            )
            return redirect("portal:action-detail", pk=action.pk)
        except ValidationError as error:
            add_service_errors(form, error, {"completion_note": "note"})
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(request, _("The action's status has been updated."))
            return redirect("portal:action-detail", pk=action.pk)
    return _render_detail(request, action, form=form, status=400)
