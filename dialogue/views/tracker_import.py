"""Moving a tracker in: threats or follow-up actions from a spreadsheet (upload → the dry
run's report, nothing saved → confirm, which checks the same file again and saves all of
it or none). The flow of the dependency import."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dialogue.forms.tracker_import import TrackerImportConfirmForm, TrackerImportForm
from dialogue.services.dependency_files import discard_staged, stage_upload, staged_upload
from dialogue.services.tracker_import import ACTIONS, COLUMNS, THREATS, tracker_import
from dialogue.views.access import official_required
from dialogue.views.imports import (
    errors_on_form,
    holds_token,
    remember_token,
    say_imported,
    take_token,
)

SESSION_KEY = "tracker_import_tokens"
LIST_PAGES = {THREATS: "workspace:threat-list", ACTIONS: "workspace:action-list"}


def _titles(kind: str) -> tuple[str, str]:
    if kind == THREATS:
        return _("Import threats"), _("Threat register")
    return _("Import follow-up actions"), _("Follow-up actions")


def _page(request: HttpRequest, kind: str, form, report, confirm, status: int = 200):
    title, list_title = _titles(kind)
    return render(
        request,
        "dialogue/tracker_import.html",
        {
            "title": title,
            "kind": kind,
            "list_title": list_title,
            "list_url": reverse(LIST_PAGES[kind]),
            "columns": COLUMNS[kind],
            "form": form,
            "report": report,
            "confirm": confirm,
        },
        status=status,
    )


@official_required
@require_http_methods(["GET", "POST"])
def tracker_import_view(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in LIST_PAGES:
        raise Http404
    here = reverse("workspace:tracker-import", args=[kind])
    if request.method == "POST" and "token" in request.POST:
        return _confirmed(request, kind, here)
    bound = request.method == "POST"
    form = TrackerImportForm(request.POST, request.FILES) if bound else TrackerImportForm()
    report = confirm = None
    if bound and form.is_valid():
        # One byte past the limit is enough for the service to refuse a larger file.
        data = form.cleaned_data["file"].read(settings.DEPENDENCY_IMPORT_MAX_BYTES + 1)
        marking = form.cleaned_data["marking"]
        report = tracker_import(actor=request.user, kind=kind, data=data, marking=marking)
        if report.ok:
            # The report is shown by a GET, so reloading it never uploads the file again.
            token = stage_upload(data)
            remember_token(request, SESSION_KEY, token)
            return redirect(f"{here}?{urlencode({'token': token, 'marking': marking})}")
        errors_on_form(form, report)
    elif request.method == "GET" and "token" in request.GET:
        confirm = TrackerImportConfirmForm(request.GET)
        token = request.GET.get("token", "")
        valid = confirm.is_valid() and holds_token(request, SESSION_KEY, token)
        data = staged_upload(token) if valid else None
        if data is None:
            messages.error(request, _("This import has expired; upload the file again."))
            return redirect(here)
        report = tracker_import(
            actor=request.user, kind=kind, data=data, marking=confirm.cleaned_data["marking"]
        )
        if not report.ok:
            confirm = None
    status = 400 if report is not None and not report.ok else 200
    return _page(request, kind, form, report, confirm, status)


def _confirmed(request: HttpRequest, kind: str, here: str) -> HttpResponse:
    form = TrackerImportConfirmForm(request.POST)
    token = form.data.get("token", "")
    if not form.is_valid() or not take_token(request, SESSION_KEY, token):
        messages.error(request, _("This import has expired; upload the file again."))
        return redirect(here)
    data = staged_upload(token)
    discard_staged(token)
    if data is None:
        messages.error(request, _("This import has expired; upload the file again."))
        return redirect(here)
    report = tracker_import(
        actor=request.user,
        kind=kind,
        data=data,
        marking=form.cleaned_data["marking"],
        dry_run=False,
    )
    if not report.ok:
        # Something changed since the dry run (a record, the user's sectors): show why.
        return _page(request, kind, TrackerImportForm(), report, None, status=400)
    say_imported(request, report)
    return redirect(LIST_PAGES[kind])
