"""Search across the workspace, grouped by kind of record."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from dialogue.selectors.search import SEARCH_LIMIT, workspace_search
from dialogue.selectors.support import catalogue_search
from dialogue.views.access import official_required
from dialogue.views.lists import query_value

MAX_QUERY_LENGTH = 200


@official_required
def search(request):
    query = query_value(request, "q").strip()[:MAX_QUERY_LENGTH]
    groups = workspace_search(request.user, query)
    return render(
        request,
        "dialogue/search.html",
        {
            "query": query,
            "groups": groups,
            "limit": SEARCH_LIMIT,
            "found": sum(group.total for group in groups),
            "found_more": any(group.more for group in groups),
            # The support catalogue (reference data): its own short section.
            "catalogue": catalogue_search(request.user, query),
            "title": _("Search"),
        },
    )
