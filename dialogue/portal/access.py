"""Who may use the company portal, and where everyone else goes.

Every portal page is wrapped in `company_required`: anonymous visitors go to the
portal's sign-in page, officials to their workspace, anyone else gets 403; pages
are never cached (they carry marked information). What a company user sees
inside a page is decided by `visible_to(user)`, never here.

A record the user may not see and a record that does not exist both raise Http404
in the view; both are answered here with the portal's one "not found" page, so
the two answers are the same byte for byte (apart from the CSRF token).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dialogue.permissions import is_official, may_use_portal


def workspace_url() -> str:
    try:
        return reverse("workspace:dashboard")
    except NoReverseMatch:
        return "/"


def company_required(view):
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:login"))
        if not may_use_portal(user):
            if is_official(user):
                return redirect(workspace_url())
            return forbidden(request)
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return not_found(request)
        except PermissionDenied as error:
            return forbidden(request, str(error))

    return never_cache(guarded)


def not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/not_found.html", {"title": _("Page not found")}, status=404)


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(
        request,
        "portal/forbidden.html",
        {"title": _("Not allowed"), "message": message},
        status=403,
    )


def org_admin_required(view):
    """For an organization's portal admin: managing colleagues and invitations."""

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_org_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return company_required(checked)


def bound(request: HttpRequest) -> tuple:
    """Form data for a POST (even an empty one, so that it is validated), else nothing."""
    if request.method == "POST":
        return (request.POST, request.FILES)
    return (None, None)
