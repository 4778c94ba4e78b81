"""The officials' start page."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue.enums import ConcernStatus
from dialogue.lists.actions import ACTIVE, MINE
from dialogue.lists.concerns import FIRST_RESPONSE_OVERDUE
from dialogue.lists.filters import MY_SECTORS
from dialogue.lists.sessions import RECENT, UPCOMING
from dialogue.selectors.dashboard import dashboard_for
from dialogue.selectors.referrals import waiting_referrals
from dialogue.views.access import official_required


def _list_url(name: str, **query: str) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


def panel_links() -> dict[str, str]:
    """Each panel's "open the list" link: the list filtered to exactly what the panel
    counts, in the panel's order (the filters use the same queryset methods)."""
    return {
        "my_open_actions": _list_url(
            "workspace:action-list", owner=MINE, status=ACTIVE, sort="due"
        ),
        "overdue_actions": _list_url(
            "workspace:action-list", scope=MY_SECTORS, overdue="true", sort="due"
        ),
        "new_concerns": _list_url(
            "workspace:concern-list",
            scope=MY_SECTORS,
            status=ConcernStatus.SUBMITTED,
            sort="created",
        ),
        "late_concerns": _list_url(
            "workspace:concern-list",
            scope=MY_SECTORS,
            response=FIRST_RESPONSE_OVERDUE,
            sort="created",
        ),
        "upcoming_sessions": _list_url("workspace:session-list", when=UPCOMING, sort="held"),
        "recent_sessions": _list_url("workspace:session-list", when=RECENT),
    }


@official_required
def dashboard(request):
    return render(
        request,
        "dialogue/dashboard.html",
        {
            "dashboard": dashboard_for(request.user),
            "links": panel_links(),
            "referrals": waiting_referrals(request.user),
            "today": timezone.localdate(),
            "title": _("Dashboard"),
        },
    )
