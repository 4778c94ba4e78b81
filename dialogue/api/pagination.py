from rest_framework.pagination import CursorPagination


class DialogueCursorPagination(CursorPagination):
    """Cursor pages: deep pages cost the same as the first, and no COUNT(*) is run."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
