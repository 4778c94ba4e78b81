"""The follow-up action tracker: list with filters and bulk status change, detail, status.

Bulk status change is all or nothing: every selected action is checked and moved in
one transaction; if any one cannot move (transition not allowed, not yours to change,
changed meanwhile), none is changed and the page lists which ones and why.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dialogue.enums import ActionStatus, Marking
from dialogue.forms import (
    ActionBulkStatusForm,
    ActionForm,
    ActionStatusForm,
    add_service_errors,
)
from dialogue.lists.actions import ACTIONS
from dialogue.models import Concern, DialogueSession, FollowUpAction, Threat
from dialogue.permissions import can_update_action_status
from dialogue.services.actions import action_change_status, action_create
from dialogue.services.common import PermissionDeniedError, StaleVersionError
from dialogue.views.access import official_required
from dialogue.views.history import change_history
from dialogue.views.lists import filtered_page


def action_url(action: FollowUpAction) -> str:
    return reverse("workspace:action-detail", args=[action.pk])


def _visible_action(user, pk: int) -> FollowUpAction:
    return get_object_or_404(
        FollowUpAction.objects.visible_to(user).select_related(
            "sector", "owner", "owner_organization", "created_by"
        ),
        pk=pk,
    )


@official_required
def action_list(request):
    listing = filtered_page(
        request,
        FollowUpAction.objects.visible_to(request.user).select_related("sector", "owner"),
        ACTIONS.page,
    )
    return render(
        request,
        "dialogue/actions/list.html",
        {
            "listing": listing,
            "title": _("Follow-up actions"),
            "bulk_form": ActionBulkStatusForm(),
            "today": timezone.localdate(),
        },
    )


@official_required
def action_detail(request, pk: int):
    user = request.user
    action = _visible_action(user, pk)
    session = (
        DialogueSession.objects.visible_to(user).filter(pk=action.session_id).first()
        if action.session_id
        else None
    )
    threat = (
        Threat.objects.visible_to(user)
        .select_related("category")
        .filter(pk=action.threat_id)
        .first()
        if action.threat_id
        else None
    )
    concern = (
        Concern.objects.visible_to(user).filter(pk=action.concern_id).first()
        if action.concern_id
        else None
    )
    may_change = can_update_action_status(user, action)
    return render(
        request,
        "dialogue/actions/detail.html",
        {
            "action": action,
            "title": action.title,
            "source_session": session,
            "source_threat": threat,
            "source_concern": concern,
            "history": change_history(action, user),
            "status_form": ActionStatusForm(action=action) if may_change else None,
        },
    )


@official_required
@require_http_methods(["GET", "POST"])
def action_status(request, pk: int):
    action = _visible_action(request.user, pk)
    if not can_update_action_status(request.user, action):
        raise PermissionDenied(_("Only the owner or the sector's officials can change this."))
    if request.method == "GET":
        return redirect(action_url(action))
    form = ActionStatusForm(request.POST, action=action)
    if form.is_valid():
        try:
            action_change_status(
                action=action,
                actor=request.user,
                status=form.cleaned_data["status"],
                completion_note=form.cleaned_data["completion_note"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError:
            form.add_error(
                None,
                _(
                    "Someone else changed this action while you were viewing it, so the status "
                    "was not changed. Check the current values and try again."
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(request, _("The status has been changed."))
            return redirect(action_url(action))
    # The form comes back on the detail page with its errors next to the fields.
    user = request.user
    return render(
        request,
        "dialogue/actions/detail.html",
        {
            "action": action,
            "title": action.title,
            "history": change_history(action, user),
            "status_form": form,
        },
        status=400,
    )


def _bulk_refusal(action: FollowUpAction, status: str, user) -> str | None:
    """Why this action cannot move to `status` (None if it can), checked before any write."""
    from dialogue.workflows import ACTION_TRANSITIONS, allowed_next

    if not can_update_action_status(user, action):
        return _("only the owner or the sector's officials can change it")
    if status == action.status:
        return _("it already has this status")
    if status not in allowed_next(ACTION_TRANSITIONS, action.status):
        return _("it cannot move from “%(current)s” to “%(new)s”") % {
            "current": action.get_status_display(),
            "new": ActionStatus(status).label,
        }
    return None


@official_required
@require_POST
def action_bulk_status(request):
    user = request.user
    visible = FollowUpAction.objects.visible_to(user).select_related("sector")
    submitted = [int(v) for v in request.POST.getlist("selected") if v.isdigit()]
    actions = list(visible.filter(pk__in=submitted).order_by("pk"))
    form = ActionBulkStatusForm(request.POST, action_ids=[a.pk for a in actions])
    back = request.POST.get("next", "")
    back = back if back.startswith(reverse("workspace:action-list")) else None
    back = back or reverse("workspace:action-list")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    status = form.cleaned_data["status"]
    refusals = [
        (action, reason)
        for action in actions
        if (reason := _bulk_refusal(action, status, user)) is not None
    ]
    if not refusals:
        try:
            with transaction.atomic():
                for action in actions:
                    action_change_status(
                        action=action,
                        actor=user,
                        status=status,
                        completion_note=form.cleaned_data["completion_note"],
                    )
        except (ValidationError, PermissionDeniedError, StaleVersionError) as error:
            messages.error(
                request,
                _("No action was changed: %(reason)s")
                % {"reason": " ".join(getattr(error, "messages", [str(error)]))},
            )
            return redirect(back)
    if refusals:
        messages.error(
            request,
            _("No action was changed, because %(count)d of the selected cannot be:")
            % {"count": len(refusals)},
        )
        for action, reason in refusals:
            messages.error(request, f"#{action.pk} {action.title}: {reason}")
    else:
        messages.success(
            request,
            _("%(count)d actions were changed to “%(status)s”.")
            % {"count": len(actions), "status": ActionStatus(status).label},
        )
    return redirect(back)


def _initial_from_query(request) -> dict:
    """?concern=<id>, ?threat=<id> or ?session=<id>: an action prefilled from its source."""
    user = request.user
    initial: dict = {"marking": Marking.AMBER, "owner": user.pk}
    concern_id = request.GET.get("concern", "")
    if concern_id.isdigit():
        concern = Concern.objects.visible_to(user).filter(pk=int(concern_id)).first()
        if concern is not None:
            initial.update(
                concern=concern.pk,
                sector=concern.sector_id,
                title=_("Follow up on the concern #%(id)s") % {"id": concern.pk},
                marking=concern.marking,
            )
    threat_id = request.GET.get("threat", "")
    if threat_id.isdigit():
        threat = Threat.objects.visible_to(user).filter(pk=int(threat_id)).first()
        if threat is not None:
            initial.update(threat=threat.pk, sector=threat.sector_id, marking=threat.marking)
    session_id = request.GET.get("session", "")
    if session_id.isdigit():
        session = DialogueSession.objects.visible_to(user).filter(pk=int(session_id)).first()
        if session is not None:
            initial.update(session=session.pk, marking=session.marking)
    return initial


@official_required
@require_http_methods(["GET", "POST"])
def action_create_view(request):
    if request.method == "POST":
        form = ActionForm(request.POST, user=request.user)
        if form.is_valid():
            values = dict(form.cleaned_data)
            try:
                action = action_create(actor=request.user, **values)
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDeniedError as error:
                raise PermissionDenied(str(error)) from error
            else:
                messages.success(request, _("The action has been added to the tracker."))
                return redirect(action_url(action))
    else:
        form = ActionForm(user=request.user, initial=_initial_from_query(request))
    return render(
        request, "dialogue/actions/form.html", {"form": form, "title": _("New follow-up action")}
    )
