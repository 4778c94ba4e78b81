"""Search across the workspace, grouped by kind of record."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from dialogue.selectors.search import SEARCH_LIMIT, workspace_search
from dialogue.views.access import official_required

MAX_QUERY_LENGTH = 200


@official_required
def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    groups = workspace_search(request.user, query)
    return render(
        request,
        "dialogue/search.html",
        {
            "query": query,
            "groups": groups,
            "limit": SEARCH_LIMIT,
            "found": sum(group.total for group in groups),
            "title": _("Search"),
        },
    )
