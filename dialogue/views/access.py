"""Who may use the officials' workspace, and where everyone else goes.

Every workspace view is wrapped in `official_required`: anonymous visitors go
to the workspace sign-in page, company users to the company portal, and pages
are never cached (they carry marked information). What a signed-in official
may see inside a page is decided by `visible_to(user)`, never here.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache

from dialogue.permissions import may_use_workspace


def portal_url() -> str:
    return reverse("portal:home")


def official_required(view):
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("workspace:login"))
        if not may_use_workspace(user):
            return redirect(portal_url())
        return view(request, *args, **kwargs)

    return never_cache(guarded)
