"""Sectors: the index with what each holds, and one sector's overview."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from dialogue.models import Sector
from dialogue.selectors.referrals import sector_referral_counts
from dialogue.selectors.sectors import sector_index, sector_overview
from dialogue.views.access import official_required


@official_required
def sector_list(request):
    return render(
        request,
        "dialogue/sectors/list.html",
        {"entries": sector_index(request.user), "title": _("Sectors")},
    )


@official_required
def sector_detail(request, code: str):
    sector = get_object_or_404(
        Sector.objects.visible_to(request.user).select_related("parent"), code=code
    )
    overview = sector_overview(request.user, sector)
    sector_ids = [sector.pk, *(child.pk for child in overview.children)]
    return render(
        request,
        "dialogue/sectors/detail.html",
        {
            "overview": overview,
            "referral_counts": sector_referral_counts(request.user, sector_ids),
            "title": sector.name,
        },
    )
