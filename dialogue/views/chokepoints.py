"""The chokepoint register: list, detail with holders, threats, sessions and history, forms."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dialogue.forms import ChokepointForm
from dialogue.lists.chokepoints import CHOKEPOINTS
from dialogue.models import ChokepointTechnology, DialogueSession, Organization, Sector, Threat
from dialogue.permissions import can_manage_sector
from dialogue.selectors.dashboard import sessions_with_sectors
from dialogue.services.chokepoints import chokepoint_create, chokepoint_update
from dialogue.views.access import official_required
from dialogue.views.history import change_history
from dialogue.views.lists import filtered_page, query_value
from dialogue.views.registers import create_record, edit_record


def chokepoint_url(chokepoint: ChokepointTechnology) -> str:
    return reverse("workspace:chokepoint-detail", args=[chokepoint.pk])


def _visible_chokepoint(user, pk: int) -> ChokepointTechnology:
    return get_object_or_404(
        ChokepointTechnology.objects.visible_to(user).select_related("sector", "created_by"),
        pk=pk,
    )


@official_required
def chokepoint_list(request):
    listing = filtered_page(
        request,
        ChokepointTechnology.objects.visible_to(request.user).select_related("sector"),
        CHOKEPOINTS.page,
    )
    return render(
        request,
        "dialogue/chokepoints/list.html",
        {"listing": listing, "title": _("Chokepoint register")},
    )


@official_required
def chokepoint_detail(request, pk: int):
    user = request.user
    chokepoint = _visible_chokepoint(user, pk)
    return render(
        request,
        "dialogue/chokepoints/detail.html",
        {
            "chokepoint": chokepoint,
            "title": chokepoint.name,
            "holder_organizations": list(
                Organization.objects.visible_to(user)
                .filter(chokepoints=chokepoint)
                .order_by("name")
            ),
            "threats": list(
                Threat.objects.visible_to(user)
                .filter(chokepoints=chokepoint)
                .select_related("sector", "category")
                .order_by("-severity", "-pk")
            ),
            "sessions": list(
                sessions_with_sectors(
                    DialogueSession.objects.visible_to(user).filter(chokepoints=chokepoint)
                ).order_by("-held_on", "-pk")
            ),
            "history": change_history(chokepoint, user),
            "may_change": can_manage_sector(user, chokepoint.sector),
        },
    )


@official_required
@require_http_methods(["GET", "POST"])
def chokepoint_create_view(request):
    initial = {}
    code = query_value(request, "sector")
    if code:
        sector = Sector.objects.visible_to(request.user).filter(code=code).first()
        if sector is not None:
            initial["sector"] = sector
    return create_record(
        request,
        form_class=ChokepointForm,
        create=lambda values: chokepoint_create(actor=request.user, **values),
        template_name="dialogue/chokepoints/form.html",
        context={"title": _("New chokepoint technology")},
        initial=initial,
        saved_message=_("The chokepoint technology has been added to the register."),
        url_for=chokepoint_url,
    )


@official_required
@require_http_methods(["GET", "POST"])
def chokepoint_edit(request, pk: int):
    chokepoint = _visible_chokepoint(request.user, pk)
    return edit_record(
        request,
        chokepoint,
        form_class=ChokepointForm,
        update=lambda record, changes, version: chokepoint_update(
            chokepoint=record, actor=request.user, changes=changes, expected_version=version
        ),
        template_name="dialogue/chokepoints/form.html",
        context={"title": _("Edit chokepoint technology"), "chokepoint": chokepoint},
        saved_message=_("The chokepoint technology has been saved."),
        url_for=chokepoint_url,
    )
