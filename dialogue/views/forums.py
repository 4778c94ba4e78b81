"""International forums: the index, and one forum's page (meetings, open actions, topics)."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from dialogue.models import Forum
from dialogue.selectors.forums import forum_index, forum_page
from dialogue.views.access import official_required


@official_required
def forum_list(request):
    return render(
        request,
        "dialogue/forums/list.html",
        {"forums": forum_index(request.user), "title": _("International forums")},
    )


@official_required
def forum_detail(request, code: str):
    forum = get_object_or_404(
        Forum.objects.visible_to(request.user).prefetch_related("officials"), code=code
    )
    return render(
        request,
        "dialogue/forums/detail.html",
        {"page": forum_page(request.user, forum), "forum": forum, "title": forum.name},
    )
