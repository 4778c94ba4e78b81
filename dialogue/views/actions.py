"""The follow-up action tracker: list with filters and bulk status change, detail, status.

Bulk status change is all or nothing (services.actions.action_bulk_status_change): if
any selected action cannot move (transition not allowed, not yours to change), none is
changed and the page lists which ones and why.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dialogue.enums import ActionStatus, Marking
from dialogue.forms import (
    ActionBulkStatusForm,
    ActionEditForm,
    ActionForm,
    ActionStatusForm,
    add_service_errors,
)
from dialogue.lists.actions import ACTIONS
from dialogue.models import Concern, DialogueSession, FollowUpAction, Threat
from dialogue.permissions import can_manage_sector, can_update_action_status
from dialogue.services.actions import (
    action_bulk_status_change,
    action_change_status,
    action_create,
    action_update,
)
from dialogue.services.common import PermissionDeniedError, StaleVersionError
from dialogue.views.access import official_required
from dialogue.views.history import change_history
from dialogue.views.lists import filtered_page
from dialogue.views.registers import edit_record


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
            "may_edit": can_manage_sector(user, action.sector),
        },
    )


@official_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int):
    action = _visible_action(request.user, pk)
    return edit_record(
        request,
        action,
        form_class=ActionEditForm,
        update=lambda record, changes, version: action_update(
            action=record, actor=request.user, changes=changes, expected_version=version
        ),
        template_name="dialogue/actions/form.html",
        context={"title": _("Edit follow-up action"), "action": action},
        saved_message=_("The action has been saved."),
        url_for=action_url,
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


def _bulk_back(request) -> str:
    """Back to the list as it was filtered; never to another address."""
    back = request.POST.get("next", "")
    list_url = reverse("workspace:action-list")
    return back if back.startswith(list_url) else list_url


@official_required
@require_POST
def action_bulk_status(request):
    user = request.user
    back = _bulk_back(request)
    submitted = [int(v) for v in request.POST.getlist("selected") if v.isdigit()]
    visible = FollowUpAction.objects.visible_to(user).filter(pk__in=submitted)
    form = ActionBulkStatusForm(request.POST, action_ids=list(visible.values_list("pk", flat=True)))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    status = form.cleaned_data["status"]
    result = action_bulk_status_change(
        user=user,
        action_ids=form.cleaned_data["selected"],
        status=status,
        completion_note=form.cleaned_data["completion_note"],
    )
    if result.refusals:
        messages.error(
            request,
            _("No action was changed, because %(count)d of the selected cannot be:")
            % {"count": len(result.refusals)},
        )
        for refusal in result.refusals:
            messages.error(
                request, f"#{refusal.action.pk} {refusal.action.title}: {refusal.reason}"
            )
    else:
        messages.success(
            request,
            _("%(count)d actions were changed to “%(status)s”.")
            % {"count": len(result.changed), "status": ActionStatus(status).label},
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
            # The threat the concern was linked to (the newest, if several), when visible.
            linked = (
                Threat.objects.visible_to(user)
                .filter(source_concern=concern)
                .order_by("-updated_at", "-pk")
                .values_list("pk", flat=True)
                .first()
            )
            if linked is not None:
                initial["threat"] = linked
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
