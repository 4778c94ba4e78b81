"""The dependency register (依存・特定国依存): list, detail, forms, the import (upload →
dry-run report → confirm), the sector × country map and a product's chart over the years,
each chart also as an SVG download (the page makes the PNG from it in the browser)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dialogue.enums import ShareBasis
from dialogue.forms.dependencies import (
    DependencyForm,
    DependencyImportConfirmForm,
    DependencyImportForm,
)
from dialogue.lists.dependencies import DEPENDENCY_PAGE
from dialogue.models import (
    AgendaItem,
    ChokepointTechnology,
    Concern,
    Dependency,
    Sector,
    Threat,
)
from dialogue.permissions import can_manage_sector
from dialogue.selectors.dependencies import (
    dependency_map,
    dependency_threshold,
    product_chart,
    sector_choices_with_dependencies,
)
from dialogue.services.dependencies import dependency_create, dependency_update
from dialogue.services.dependency_files import discard_staged, stage_upload, staged_upload
from dialogue.services.dependency_import import dependency_import
from dialogue.views.access import official_required
from dialogue.views.history import change_history
from dialogue.views.imports import (
    errors_on_form,
    holds_token,
    remember_token,
    say_imported,
    take_token,
)
from dialogue.views.lists import filtered_page, query_value
from dialogue.views.registers import create_record, edit_record

SESSION_KEY = "dependency_import_tokens"


def dependency_url(dependency: Dependency) -> str:
    return reverse("workspace:dependency-detail", args=[dependency.pk])


def chart_url(query: dict[str, str], name: str = "workspace:dependency-chart") -> str:
    return f"{reverse(name)}?{urlencode(query)}"


def _visible_dependency(user, pk: int) -> Dependency:
    return get_object_or_404(
        Dependency.objects.visible_to(user).select_related("sector", "created_by"), pk=pk
    )


def _svg_response(svg: str, filename: str, marking: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # An SVG opened directly runs nothing: no script, no external load.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    if marking:
        response["X-Marking"] = f"TLP:{marking}"
    return response


@official_required
def dependency_list(request):
    listing = filtered_page(
        request,
        Dependency.objects.visible_to(request.user).select_related("sector"),
        DEPENDENCY_PAGE,
    )
    return render(
        request,
        "dialogue/dependencies/list.html",
        {
            "listing": listing,
            "title": _("Dependency register"),
            "threshold": dependency_threshold(),
        },
    )


@official_required
def dependency_detail(request, pk: int):
    user = request.user
    dependency = _visible_dependency(user, pk)
    query = {
        "sector": dependency.sector.code,
        "product": dependency.product,
        "hs_code": dependency.hs_code,
        "basis": dependency.basis,
    }
    return render(
        request,
        "dialogue/dependencies/detail.html",
        {
            "dependency": dependency,
            "title": str(dependency),
            "threshold": dependency_threshold(),
            "chart_url": chart_url(query),
            "threats": list(
                Threat.objects.visible_to(user)
                .filter(dependencies=dependency)
                .select_related("sector", "category")
                .order_by("-severity", "-pk")
            ),
            "concerns": list(
                Concern.objects.visible_to(user)
                .filter(dependencies=dependency)
                .select_related("sector")
                .order_by("-pk")
            ),
            "chokepoints": list(
                ChokepointTechnology.objects.visible_to(user)
                .filter(dependencies=dependency)
                .select_related("sector")
                .order_by("name")
            ),
            # Where the figure was raised: agenda items of sessions the reader may see.
            "agenda": list(
                AgendaItem.objects.visible_to(user)
                .filter(dependency=dependency)
                .select_related("session__forum")
                .order_by("-session__held_on", "session_id", "position")
            ),
            "history": change_history(dependency, user),
            "may_change": can_manage_sector(user, dependency.sector),
        },
    )


@official_required
@require_http_methods(["GET", "POST"])
def dependency_create_view(request):
    initial = {}
    code = query_value(request, "sector")
    if code:
        sector = Sector.objects.visible_to(request.user).filter(code=code).first()
        if sector is not None:
            initial["sector"] = sector
    return create_record(
        request,
        form_class=DependencyForm,
        create=lambda values: dependency_create(actor=request.user, **values),
        template_name="dialogue/dependencies/form.html",
        context={"title": _("New dependency figure")},
        initial=initial,
        saved_message=_("The dependency figure has been added to the register."),
        url_for=dependency_url,
    )


@official_required
@require_http_methods(["GET", "POST"])
def dependency_edit(request, pk: int):
    dependency = _visible_dependency(request.user, pk)
    return edit_record(
        request,
        dependency,
        form_class=DependencyForm,
        update=lambda record, changes, version: dependency_update(
            dependency=record, actor=request.user, changes=changes, expected_version=version
        ),
        template_name="dialogue/dependencies/form.html",
        context={"title": _("Edit dependency figure"), "dependency": dependency},
        saved_message=_("The dependency figure has been saved."),
        url_for=dependency_url,
    )


@official_required
@require_http_methods(["GET", "POST"])
def dependency_import_view(request):
    """Upload → the dry run's report (nothing saved) → confirm, which checks the same file
    again and saves all of it or none."""
    if request.method == "POST" and "token" in request.POST:
        return _import_confirmed(request)
    bound = request.method == "POST"
    form = DependencyImportForm(request.POST, request.FILES) if bound else DependencyImportForm()
    report = confirm = None
    if bound and form.is_valid():
        upload = form.cleaned_data["file"]
        # One byte past the limit is enough for the service to refuse a larger file.
        data = upload.read(settings.DEPENDENCY_IMPORT_MAX_BYTES + 1)
        marking = form.cleaned_data["marking"]
        report = dependency_import(actor=request.user, data=data, marking=marking, dry_run=True)
        if report.ok:
            # The report is shown by a GET, so reloading it never uploads the file again.
            token = stage_upload(data)
            remember_token(request, SESSION_KEY, token)
            query = urlencode({"token": token, "marking": marking})
            return redirect(f"{reverse('workspace:dependency-import')}?{query}")
        errors_on_form(form, report)
    elif request.method == "GET" and "token" in request.GET:
        confirm = DependencyImportConfirmForm(request.GET)
        token = request.GET.get("token", "")
        data = (
            staged_upload(token)
            if confirm.is_valid() and holds_token(request, SESSION_KEY, token)
            else None
        )
        if data is None:
            messages.error(request, _("This import has expired; upload the file again."))
            return redirect("workspace:dependency-import")
        report = dependency_import(
            actor=request.user, data=data, marking=confirm.cleaned_data["marking"], dry_run=True
        )
        if not report.ok:
            confirm = None
    status = 400 if report is not None and not report.ok else 200
    return render(
        request,
        "dialogue/dependencies/import.html",
        {
            "title": _("Import dependency figures"),
            "form": form,
            "report": report,
            "confirm": confirm,
        },
        status=status,
    )


def _import_confirmed(request: HttpRequest) -> HttpResponse:
    """The confirmation of a dry run: the same file, checked again, saved all or none."""
    form = DependencyImportConfirmForm(request.POST)
    if not form.is_valid() or not take_token(request, SESSION_KEY, form.cleaned_data["token"]):
        messages.error(request, _("This import has expired; upload the file again."))
        return redirect("workspace:dependency-import")
    token = form.cleaned_data["token"]
    data = staged_upload(token)
    discard_staged(token)
    if data is None:
        messages.error(request, _("This import has expired; upload the file again."))
        return redirect("workspace:dependency-import")
    report = dependency_import(
        actor=request.user, data=data, marking=form.cleaned_data["marking"], dry_run=False
    )
    if not report.ok:
        # Something changed since the dry run (a figure, the user's sectors): show why.
        return render(
            request,
            "dialogue/dependencies/import.html",
            {
                "title": _("Import dependency figures"),
                "form": DependencyImportForm(),
                "report": report,
                "confirm": None,
            },
            status=400,
        )
    say_imported(request, report)
    return redirect("workspace:dependency-map")


def _map_filters(request: HttpRequest) -> dict:
    basis = query_value(request, "basis")
    return {
        "sector": query_value(request, "sector"),
        "basis": basis if basis in ShareBasis.values else "",
    }


@official_required
def dependency_map_view(request):
    filters = _map_filters(request)
    mapped = dependency_map(user=request.user, **filters)
    query = {k: v for k, v in filters.items() if v}
    return render(
        request,
        "dialogue/dependencies/map.html",
        {
            "title": _("Dependency map"),
            "map": mapped,
            "svg": mapped.svg() if mapped.products else "",
            "filters": filters,
            "sector_choices": sector_choices_with_dependencies(request.user),
            "basis_choices": ShareBasis.choices,
            "svg_url": chart_url(query, "workspace:dependency-map-svg"),
            "products": [(line, chart_url(line.query())) for line in mapped.products],
        },
    )


@official_required
def dependency_map_svg(request):
    mapped = dependency_map(user=request.user, **_map_filters(request))
    return _svg_response(mapped.svg(), "dependency-map.svg", mapped.marking)


def _chart_or_404(request: HttpRequest):
    basis = query_value(request, "basis") or ShareBasis.JAPAN_IMPORTS
    chart = product_chart(
        user=request.user,
        sector=query_value(request, "sector"),
        product=query_value(request, "product")[:200],
        hs_code=query_value(request, "hs_code"),
        basis=basis,
    )
    if chart is None:
        raise Http404
    return chart


@official_required
def dependency_chart(request):
    chart = _chart_or_404(request)
    return render(
        request,
        "dialogue/dependencies/chart.html",
        {
            "title": chart.line.product,
            "chart": chart,
            "svg": chart.svg(),
            "svg_url": chart_url(chart.line.query(), "workspace:dependency-chart-svg"),
        },
    )


@official_required
def dependency_chart_svg(request):
    chart = _chart_or_404(request)
    return _svg_response(chart.svg(), "dependency-chart.svg", chart.marking)
