"""The support catalogue in the workspace: every official reads and searches it; the
secretariat adds and edits organizations and schemes (with their change history)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dialogue.forms.errors import add_service_errors
from dialogue.forms.support import CatalogueFilterForm, SupportOrganizationForm, SupportSchemeForm
from dialogue.models import SupportOrganization, SupportScheme
from dialogue.permissions import can_manage_support_catalogue
from dialogue.selectors.support import (
    catalogue_search,
    organizations,
    schemes,
    support_fitting,
    threat_codes,
)
from dialogue.services.common import PermissionDeniedError, StaleVersionError
from dialogue.services.support_catalogue import (
    support_organization_create,
    support_organization_update,
    support_scheme_create,
    support_scheme_update,
)
from dialogue.views.access import official_required
from dialogue.views.concerns import STALE_MESSAGE
from dialogue.views.history import change_history


def _require_secretariat(user) -> None:
    if not can_manage_support_catalogue(user):
        raise PermissionDenied(_("Only the secretariat can change the support catalogue."))


@official_required
@require_GET
def catalogue(request):
    user = request.user
    form = CatalogueFilterForm(request.GET or None, codes=threat_codes(user))
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("q"):
        found = catalogue_search(user, data["q"])
        found_organizations, found_schemes = found.organizations, found.schemes
    elif data.get("threat_code") or data.get("size_class"):
        fit = support_fitting(
            user,
            sectors=None,
            size_class=data.get("size_class", ""),
            threat_code=data.get("threat_code", ""),
        )
        found_organizations, found_schemes = fit.organizations, fit.schemes
    else:
        found_organizations = list(organizations(user))
        found_schemes = list(schemes(user))
    return render(
        request,
        "dialogue/support/catalogue.html",
        {
            "title": _("Support catalogue"),
            "form": form,
            "organizations": found_organizations,
            "schemes": found_schemes,
            "may_edit": can_manage_support_catalogue(user),
        },
    )


def _detail(request, entry, kind: str):
    return render(
        request,
        "dialogue/support/detail.html",
        {
            "title": entry.name,
            "entry": entry,
            "kind": kind,
            "history": change_history(entry, request.user),
            "may_edit": can_manage_support_catalogue(request.user),
        },
    )


@official_required
@require_GET
def organization_detail(request, pk: int):
    return _detail(request, get_object_or_404(organizations(request.user), pk=pk), "organization")


@official_required
@require_GET
def scheme_detail(request, pk: int):
    return _detail(request, get_object_or_404(schemes(request.user), pk=pk), "scheme")


def _edit(request, *, form_class, instance, create, update, detail_name, title):
    _require_secretariat(request.user)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            if instance is None:
                entry = create(actor=request.user, values=form.changes())
            else:
                entry = update(
                    request.user, instance, form.changes(), form.cleaned_data.get("version")
                )
        except StaleVersionError:
            form.add_error(None, STALE_MESSAGE)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(request, _("The support catalogue has been saved."))
            return redirect(reverse(detail_name, args=[entry.pk]))
    return render(
        request,
        "dialogue/support/form.html",
        {"title": title, "form": form, "entry": instance},
        status=400 if request.method == "POST" else 200,
    )


@official_required
@require_http_methods(["GET", "POST"])
def organization_create_view(request):
    return _edit(
        request,
        form_class=SupportOrganizationForm,
        instance=None,
        create=support_organization_create,
        update=None,
        detail_name="workspace:support-organization-detail",
        title=_("New support organization"),
    )


@official_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk: int):
    organization = get_object_or_404(SupportOrganization.objects.visible_to(request.user), pk=pk)
    return _edit(
        request,
        form_class=SupportOrganizationForm,
        instance=organization,
        create=None,
        update=lambda actor, entry, changes, version: support_organization_update(
            organization=entry, actor=actor, changes=changes, expected_version=version
        ),
        detail_name="workspace:support-organization-detail",
        title=_("Edit the support organization"),
    )


@official_required
@require_http_methods(["GET", "POST"])
def scheme_create_view(request):
    return _edit(
        request,
        form_class=SupportSchemeForm,
        instance=None,
        create=support_scheme_create,
        update=None,
        detail_name="workspace:support-scheme-detail",
        title=_("New support scheme"),
    )


@official_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request, pk: int):
    scheme = get_object_or_404(SupportScheme.objects.visible_to(request.user), pk=pk)
    return _edit(
        request,
        form_class=SupportSchemeForm,
        instance=scheme,
        create=None,
        update=lambda actor, entry, changes, version: support_scheme_update(
            scheme=entry, actor=actor, changes=changes, expected_version=version
        ),
        detail_name="workspace:support-scheme-detail",
        title=_("Edit the support scheme"),
    )
