"""Plan revisions in the workspace: the editions, one edition's lines with their sources
("why is this here"), the changes since the previous edition, and the plan team's
start / refresh / publish / delete of a draft."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dialogue.disclosure import concern_count, count_shown_condition
from dialogue.enums import Marking, PlanRevisionStatus
from dialogue.models import PlanRevision, PlanRevisionItem, Sector
from dialogue.permissions import can_manage_plan
from dialogue.selectors.plan_sources import SourceIndex
from dialogue.selectors.plan_summary import (
    PlanSummary,
    change_order,
    item_title,
    plan_revision_changes,
)
from dialogue.selectors.plan_summary.sheets import HeatmapSheet, SectorSheet
from dialogue.selectors.plans import previous_revision, reading_marking, with_live_marking
from dialogue.services.common import PermissionDeniedError
from dialogue.services.plans import (
    plan_revision_delete,
    plan_revision_publish,
    plan_revision_refresh,
    plan_revision_start,
)
from dialogue.views.access import official_required
from dialogue.views.lists import query_value

Kind = PlanRevisionItem.Kind
ITEMS_PER_PAGE = 50
CHANGES_PER_PAGE = 100
LINE_KINDS = [Kind.THREAT, Kind.CHOKEPOINT, Kind.ACTION, Kind.CONCERN_AGGREGATE]
MAX_MARKING_CHOICES = [m for m in Marking.values if m != Marking.RED]


def _visible_revision(user, pk: int) -> PlanRevision:
    return get_object_or_404(
        PlanRevision.objects.visible_to(user).select_related("created_by"), pk=pk
    )


@official_required
def plan_list(request):
    revisions = PlanRevision.objects.visible_to(request.user).select_related("created_by")
    return render(
        request,
        "dialogue/plans/list.html",
        {
            "title": _("Action plan revisions"),
            "revisions": revisions.order_by("-number"),
            "may_manage": can_manage_plan(request.user),
            "has_draft": revisions.filter(status=PlanRevisionStatus.DRAFT).exists(),
        },
    )


def _line(item: PlanRevisionItem, sources: SourceIndex, sector_names: dict) -> dict:
    data = item.data
    line = {
        "item": item,
        "data": data,
        "title": item_title(data),
        "sector_name": sector_names.get(data.get("sector"), data.get("sector", "")),
        "sources": sources.for_item(item.kind, item.object_id, data),
        "marking": reading_marking(item.marking, getattr(item, "live_marking", None)),
    }
    if item.kind == Kind.CONCERN_AGGREGATE:
        line["concerns"] = concern_count(data.get("concerns", 0), data.get("organizations", 0))
    return line


@official_required
def plan_detail(request, pk: int):
    user = request.user
    revision = _visible_revision(user, pk)
    summary = PlanSummary(revision, user, None)
    kind = request.GET.get("kind", Kind.THREAT)
    if kind not in LINE_KINDS:
        kind = Kind.THREAT
    sector_code = query_value(request, "sector")
    items = summary.items.filter(kind=kind).select_related("sector")
    if kind == Kind.CONCERN_AGGREGATE:
        # A line for a count not shown would still tell that a concern exists.
        items = items.filter(count_shown_condition("data__organizations"))
    if sector_code:
        items = items.filter(sector__code=sector_code)
    items = with_live_marking(items).order_by(
        F("sector__sort_order"), "sector__code", "object_id", "pk"
    )
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    sources = SourceIndex.build(
        items=summary.items.filter(pk__in=[item.pk for item in shown]),
        user=user,
        allowed=None,
        absolute=False,
        session_titles=True,  # the reader may open each cited session: its title is theirs
    )
    sector_names = {s.code: s.name for s in Sector.objects.all()}
    return render(
        request,
        "dialogue/plans/detail.html",
        {
            "title": revision.label,
            "revision": revision,
            "previous": previous_revision(revision),
            "sectors": list(SectorSheet(summary).rows()),
            "heatmap": _heatmap(summary),
            "kind": kind,
            "kinds": [(value, Kind(value).label) for value in LINE_KINDS],
            "sector_code": sector_code,
            "sector_choices": [(s.code, s.name) for s in summary.sectors],
            "page": page,
            "lines": [_line(item, sources, sector_names) for item in shown],
            "may_manage": can_manage_plan(user),
            "is_draft": revision.status == PlanRevisionStatus.DRAFT,
            "max_marking_choices": MAX_MARKING_CHOICES,
        },
    )


def _heatmap(summary: PlanSummary) -> dict:
    """The sheet's cells pivoted: a row per sector, a cell per threat code."""
    codes = [(code.code, code.name) for code in summary.leaf_codes]
    rows = []
    for sector_code, group in groupby(HeatmapSheet(summary).rows(), key=lambda cell: cell.sector):
        cells = list(group)
        rows.append({"code": sector_code, "name": cells[0].sector_name, "cells": cells})
    return {"codes": codes, "rows": rows}


@official_required
def plan_diff(request, pk: int):
    user = request.user
    revision = _visible_revision(user, pk)
    sector_order = {s.code: n for n, s in enumerate(Sector.objects.order_by("sort_order", "code"))}
    sector_names = {s.code: s.name for s in Sector.objects.all()}
    lines = sorted(
        plan_revision_changes(revision, user), key=lambda line: change_order(line, sector_order)
    )
    page = Paginator(lines, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    groups = [
        {"sector": code, "name": sector_names.get(code, code), "lines": list(group)}
        for code, group in groupby(page.object_list, key=lambda line: line.change.sector)
    ]
    counts = {"added": 0, "removed": 0, "changed": 0}
    for line in lines:
        counts[line.change.change] += 1
    return render(
        request,
        "dialogue/plans/diff.html",
        {
            "title": _("Changes in %(label)s") % {"label": revision.label},
            "revision": revision,
            "previous": previous_revision(revision),
            "page": page,
            "groups": groups,
            "counts": counts,
        },
    )


def _plan_action(request, action):
    try:
        return action()
    except PermissionDeniedError as error:
        raise PermissionDenied(str(error)) from error
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None


@official_required
@require_POST
def plan_start(request):
    notes = request.POST.get("notes", "")[:2000]
    revision = _plan_action(request, lambda: plan_revision_start(actor=request.user, notes=notes))
    if revision is None:
        return redirect("plans:plan-list")
    messages.success(
        request,
        _("%(label)s has been started as a draft from the current records.")
        % {"label": revision.label},
    )
    return redirect("plans:plan-detail", pk=revision.pk)


@official_required
@require_POST
def plan_refresh(request, pk: int):
    revision = _visible_revision(request.user, pk)
    if _plan_action(request, lambda: plan_revision_refresh(revision=revision, actor=request.user)):
        messages.success(request, _("The draft now holds the current records."))
    return redirect("plans:plan-detail", pk=revision.pk)


def _confirmation(request, revision: PlanRevision, *, heading: str, question: str, button: str):
    """The page that asks before an irreversible step (GET); the step itself is the POST."""
    if not can_manage_plan(request.user):
        raise PermissionDenied(_("Only the plan team can publish or delete a revision."))
    return render(
        request,
        "dialogue/plans/confirm.html",
        {
            "title": heading,
            "revision": revision,
            "question": question,
            "button": button,
        },
    )


@official_required
@require_http_methods(["GET", "POST"])
def plan_publish(request, pk: int):
    revision = _visible_revision(request.user, pk)
    if request.method == "GET":
        return _confirmation(
            request,
            revision,
            heading=_("Publish %(label)s") % {"label": revision.label},
            question=_(
                "Publish %(label)s? Its contents are fixed from now on: nobody can change or "
                "delete this edition, and later changes go into the next draft."
            )
            % {"label": revision.label},
            button=_("Publish this edition"),
        )
    if _plan_action(request, lambda: plan_revision_publish(revision=revision, actor=request.user)):
        messages.success(
            request,
            _("%(label)s has been published. It will not change any more.")
            % {"label": revision.label},
        )
    return redirect("plans:plan-detail", pk=revision.pk)


@official_required
@require_http_methods(["GET", "POST"])
def plan_delete(request, pk: int):
    revision = _visible_revision(request.user, pk)
    if request.method == "GET":
        return _confirmation(
            request,
            revision,
            heading=_("Delete the draft %(label)s") % {"label": revision.label},
            question=_(
                "Delete the draft %(label)s? The records it was made from stay as they are; "
                "the draft and its notes are gone. This cannot be undone."
            )
            % {"label": revision.label},
            button=_("Delete this draft"),
        )
    label = revision.label
    _plan_action(request, lambda: plan_revision_delete(revision=revision, actor=request.user))
    if PlanRevision.objects.filter(pk=pk).exists():
        return redirect("plans:plan-detail", pk=pk)
    messages.success(request, _("The draft %(label)s has been deleted.") % {"label": label})
    return redirect("plans:plan-list")
