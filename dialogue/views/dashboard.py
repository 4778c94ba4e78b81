"""The officials' start page."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue.selectors.dashboard import dashboard_for
from dialogue.selectors.referrals import waiting_referrals
from dialogue.views.access import official_required


@official_required
def dashboard(request):
    return render(
        request,
        "dialogue/dashboard.html",
        {
            "dashboard": dashboard_for(request.user),
            "referrals": waiting_referrals(request.user),
            "today": timezone.localdate(),
            "title": _("Dashboard"),
        },
    )
