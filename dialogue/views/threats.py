"""The threat register: list, detail with sources and history, create, edit, status."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dialogue.forms import ThreatForm, ThreatStatusForm
from dialogue.lists.threats import THREATS
from dialogue.models import (
    ChokepointTechnology,
    Concern,
    DialogueSession,
    FollowUpAction,
    Sector,
    Threat,
)
from dialogue.permissions import can_manage_sector
from dialogue.services.threats import threat_change_status, threat_create, threat_update
from dialogue.views.access import official_required
from dialogue.views.history import change_history
from dialogue.views.lists import filtered_page, query_value
from dialogue.views.registers import change_status, create_record, edit_record


def threat_url(threat: Threat) -> str:
    return reverse("workspace:threat-detail", args=[threat.pk])


def _visible_threat(user, pk: int) -> Threat:
    return get_object_or_404(
        Threat.objects.visible_to(user).select_related("sector", "category", "created_by"), pk=pk
    )


@official_required
def threat_list(request):
    listing = filtered_page(
        request,
        Threat.objects.visible_to(request.user).select_related("sector", "category"),
        THREATS.page,
    )
    return render(
        request,
        "dialogue/threats/list.html",
        {"listing": listing, "title": _("Threat register")},
    )


@official_required
def threat_detail(request, pk: int):
    user = request.user
    threat = _visible_threat(user, pk)
    # Sources are shown only when the reader may see them; a concern's organization
    # is named only to those who may see the concern.
    source_session = (
        DialogueSession.objects.visible_to(user).filter(pk=threat.source_session_id).first()
        if threat.source_session_id
        else None
    )
    source_concern = (
        Concern.objects.visible_to(user)
        .select_related("organization")
        .filter(pk=threat.source_concern_id)
        .first()
        if threat.source_concern_id
        else None
    )
    chokepoints = list(
        ChokepointTechnology.objects.visible_to(user)
        .filter(threats=threat)
        .select_related("sector")
        .order_by("name")
    )
    actions = list(
        FollowUpAction.objects.visible_to(user)
        .filter(threat=threat)
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    may_change = can_manage_sector(user, threat.sector)
    return render(
        request,
        "dialogue/threats/detail.html",
        {
            "threat": threat,
            "title": threat.title,
            "source_session": source_session,
            "source_concern": source_concern,
            "chokepoints": chokepoints,
            "actions": actions,
            "history": change_history(threat, user),
            "may_change": may_change,
            "status_form": ThreatStatusForm(threat=threat) if may_change else None,
        },
    )


def _initial_from_query(request) -> dict:
    """?sector=<code>&session=<id>&concern=<id>: start a threat from a sector, session or concern."""
    user = request.user
    initial = {}
    code = query_value(request, "sector")
    if code:
        initial["sector"] = Sector.objects.visible_to(user).filter(code=code).first()
    session_id = request.GET.get("session", "")
    if session_id.isdigit():
        initial["source_session"] = (
            DialogueSession.objects.visible_to(user).filter(pk=int(session_id)).first()
        )
    concern_id = request.GET.get("concern", "")
    if concern_id.isdigit():
        concern = Concern.objects.visible_to(user).filter(pk=int(concern_id)).first()
        if concern is not None:
            initial.update(source_concern=concern, sector=concern.sector)
            initial["category"] = concern.category.code
    return {name: value for name, value in initial.items() if value is not None}


@official_required
@require_http_methods(["GET", "POST"])
def threat_create_view(request):
    return create_record(
        request,
        form_class=ThreatForm,
        create=lambda values: threat_create(actor=request.user, **values),
        template_name="dialogue/threats/form.html",
        context={"title": _("New threat")},
        initial=_initial_from_query(request),
        saved_message=_("The threat has been added to the register."),
        url_for=threat_url,
    )


@official_required
@require_http_methods(["GET", "POST"])
def threat_edit(request, pk: int):
    threat = _visible_threat(request.user, pk)
    return edit_record(
        request,
        threat,
        form_class=ThreatForm,
        update=lambda record, changes, version: threat_update(
            threat=record, actor=request.user, changes=changes, expected_version=version
        ),
        template_name="dialogue/threats/form.html",
        context={"title": _("Edit threat"), "threat": threat},
        saved_message=_("The threat has been saved."),
        url_for=threat_url,
    )


@official_required
@require_POST
def threat_status(request, pk: int):
    threat = _visible_threat(request.user, pk)
    if not can_manage_sector(request.user, threat.sector):
        raise PermissionDenied(_("You can change the register only for your own sectors."))
    return change_status(
        request,
        ThreatStatusForm(request.POST, threat=threat),
        change=lambda **change: threat_change_status(threat=threat, actor=request.user, **change),
        stale_message=_(
            "Someone else changed this threat while you were viewing it, so the status "
            "was not changed. Check the current values and try again."
        ),
        back_to=threat_url(threat),
    )
