"""International forums: read-only; their sessions are under /sessions/?forum=<id>."""

from dialogue.api.querying import Related
from dialogue.api.serializers.forums import ForumSerializer
from dialogue.api.views.base import ReadOnlyVisibleViewSet
from dialogue.models import Forum, User


class ForumViewSet(ReadOnlyVisibleViewSet):
    model = Forum
    serializer_class = ForumSerializer
    pagination_class = None
    ordering = ["sort_order", "code"]

    related = (Related("officials", User),)
