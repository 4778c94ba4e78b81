"""Notices for the organization (unread first; opening one marks it read for the
person) and the library of best practices."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dialogue.portal.access import company_required
from dialogue.selectors.notices import (
    best_practice_library,
    library_codes,
    notice_links,
    portal_notice_get,
    portal_notices,
)
from dialogue.services.notices import notice_mark_read

PAGE_SIZE = 20


@company_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(portal_notices(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/notices/list.html",
        {"title": _("Notices"), "section": "notices", "page": page},
    )


@company_required
@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notice is reading it: the person's receipt is recorded (once)."""
    notice = portal_notice_get(request.user, pk)
    receipt = notice_mark_read(notice=notice, user=request.user)
    return render(
        request,
        "portal/notices/detail.html",
        {
            "title": notice.title,
            "section": "notices",
            "notice": notice,
            "receipt": receipt,
            "links": notice_links(request.user, notice),
        },
    )


@company_required
@require_GET
def best_practice_list(request: HttpRequest) -> HttpResponse:
    """Every best practice, by default those for the threat codes relevant to the
    organization's sectors; `?scope=all` or `?code=2-2` to widen or choose."""
    everything = request.GET.get("scope") == "all"
    codes = list(library_codes(request.user))
    code = request.GET.get("code", "")
    if code not in {c.code for c in codes}:
        code = ""
    return render(
        request,
        "portal/notices/best_practices.html",
        {
            "title": _("Best practices"),
            "section": "best-practices",
            "practices": best_practice_library(request.user, everything=everything, code=code),
            "codes": codes,
            "code": code,
            "everything": everything,
        },
    )
