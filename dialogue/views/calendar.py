"""The calendar feed (iCalendar) of my sessions and my actions' due dates, and the page
that gives its address.

The address carries a signed token (services/calendar_tokens.py), because calendar
clients fetch without a session cookie; what the feed lists is in
selectors/calendar.py, the text is written by exports/ical.py.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dialogue.exports.ical import calendar_bytes
from dialogue.models import User
from dialogue.selectors.calendar import calendar_entries
from dialogue.services.calendar_tokens import feed_token, user_for_token
from dialogue.views.access import official_required


# -- views -------------------------------------------------------------------------------
def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def feed_url(request: HttpRequest, user: User) -> str:
    return (
        request.build_absolute_uri(reverse("workspace:calendar-feed"))
        + "?token="
        + (feed_token(user))
    )


@official_required
def calendar_settings(request):
    return render(
        request,
        "dialogue/actions/calendar.html",
        {"title": _("Calendar feed"), "feed_url": feed_url(request, request.user)},
    )


@official_required
def _without_token(request):
    return redirect("workspace:calendar")


def calendar_feed(request):
    token = request.GET.get("token", "")
    if not token:
        # Signed in in a browser, without the token: show the page with the address.
        return _without_token(request)
    user = user_for_token(token)
    if user is None:
        raise Http404
    with translation.override(user.language or None):
        body = calendar_bytes(
            calendar_entries(user),
            name=_("Strategic dialogue: my sessions and actions"),
            base_url=_base_url(request),
            stamp=timezone.now(),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="dialogue.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
