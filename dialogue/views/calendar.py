"""A calendar feed (iCalendar, RFC 5545) of my sessions and my actions' due dates.

Outlook and similar clients fetch the feed without a session cookie, so the address
carries a signed token (django.core.signing) naming the user and a fingerprint of
their password hash: changing the password (or the SECRET_KEY) revokes every feed
address issued before. The feed never carries a title above TLP:GREEN: those
events read "TLP:AMBER session #12" and link to the workspace, which asks to sign in.

The text is written by hand: CRLF line ends, lines folded at 75 octets (never
inside a UTF-8 character), TEXT values escaped, DTSTAMP in UTC, all-day DATE values.
"""

from __future__ import annotations

import datetime

from django.core import signing
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dialogue.enums import ActionStatus, Marking
from dialogue.models import DialogueSession, FollowUpAction, User
from dialogue.permissions import is_secretariat, may_use_workspace
from dialogue.querysets import official_sector_ids
from dialogue.views.access import official_required

TOKEN_SALT = "dialogue.calendar-feed"  # noqa: S105 - a signing salt, not a secret
SHOWN_MARKINGS = {Marking.CLEAR, Marking.GREEN}
PAST_DAYS = 90
PRODID = "-//METI economic security//Strategic dialogue workspace//JA"


# -- the token ---------------------------------------------------------------------------
def _fingerprint(user: User) -> str:
    return user.get_session_auth_hash()[:16]


def feed_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "k": _fingerprint(user)}, salt=TOKEN_SALT, compress=True)


def user_for_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not may_use_workspace(user) or data.get("k") != _fingerprint(user):
        return None
    return user


# -- iCalendar text ----------------------------------------------------------------------
def escape_text(value: str) -> str:
    """RFC 5545 3.3.11: backslash, semicolon, comma and newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """RFC 5545 3.1: at most 75 octets a line; continuation lines start with one space."""
    parts: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def _date(value: datetime.date) -> str:
    return value.strftime("%Y%m%d")


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _summary(*, kind: str, pk: int, title: str, marking: str) -> str:
    if marking in SHOWN_MARKINGS:
        return title
    return f"TLP:{marking} {kind} #{pk}"


def _event(*, uid: str, stamp: str, day: datetime.date, summary: str, url: str, marking: str):
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(day)}",
        f"DTEND;VALUE=DATE:{_date(day + datetime.timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
        f"URL:{url}",
        f"CLASS:{'PUBLIC' if marking in SHOWN_MARKINGS else 'CONFIDENTIAL'}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def my_sessions(user: User):
    since = timezone.localdate() - datetime.timedelta(days=PAST_DAYS)
    sessions = DialogueSession.objects.visible_to(user).filter(held_on__gte=since)
    mine = Q(created_by=user)
    if not is_secretariat(user):
        mine |= Q(
            pk__in=DialogueSession.objects.filter(sectors__in=official_sector_ids(user)).values(
                "pk"
            )
        )
    return sessions.filter(mine).order_by("held_on", "pk")


def my_actions(user: User):
    return (
        FollowUpAction.objects.visible_to(user)
        .filter(owner=user, status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
        .order_by("due_on", "pk")
    )


def calendar_text(user: User, *, base_url: str) -> str:
    stamp = _utc(timezone.now())
    host = base_url.split("://", 1)[-1].rstrip("/") or "dialogue"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(_('Strategic dialogue: my sessions and actions'))}",
    ]
    for session in my_sessions(user).only("pk", "title", "held_on", "marking"):
        lines += _event(
            uid=f"session-{session.pk}@{host}",
            stamp=stamp,
            day=session.held_on,
            summary=_summary(
                kind=_("session"), pk=session.pk, title=session.title, marking=session.marking
            ),
            url=base_url + reverse("workspace:session-detail", args=[session.pk]),
            marking=session.marking,
        )
    for action in my_actions(user).only("pk", "title", "due_on", "marking"):
        title = _summary(kind=_("action"), pk=action.pk, title=action.title, marking=action.marking)
        lines += _event(
            uid=f"action-{action.pk}@{host}",
            stamp=stamp,
            day=action.due_on,
            summary=_("Due: %(title)s") % {"title": title},
            url=base_url + reverse("workspace:action-detail", args=[action.pk]),
            marking=action.marking,
        )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


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
        body = calendar_text(user, base_url=_base_url(request))
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="dialogue.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
