from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from dialogue.lists.filters import EMPTY_VALUE


class DialogueCursorPagination(CursorPagination):
    """Cursor pages: deep pages cost the same as the first, and no COUNT(*) is run.

    A `page_size` out of range is refused (400), not quietly clamped: a client asking
    for 1,000 rows would otherwise take 200 for all there is. Each page gives its
    neighbours' cursors as they are (`next_cursor`, `previous_cursor`), so a client
    need not take them out of the `next` and `previous` addresses.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        value = value.strip()
        if not value:  # the schema says integer: empty is refused, as an empty filter value
            raise exceptions.ValidationError({self.page_size_query_param: [EMPTY_VALUE]})
        # Digits only: int() would also take "1_0", "+5" and full-width digits.
        if value.isascii() and value.isdigit() and 1 <= int(value) <= self.max_page_size:
            return int(value)
        raise exceptions.ValidationError(
            {
                self.page_size_query_param: [
                    _("Give the page size as a whole number from 1 to %(max)d.")
                    % {"max": self.max_page_size}
                ]
            }
        )

    def get_paginated_response(self, data):
        next_link, previous_link = self.get_next_link(), self.get_previous_link()
        return Response(
            {
                "next": next_link,
                "previous": previous_link,
                "next_cursor": self._cursor_in(next_link),
                "previous_cursor": self._cursor_in(previous_link),
                "results": data,
            }
        )

    def _cursor_in(self, link: str | None) -> str | None:
        if link is None:
            return None
        return parse_qs(urlsplit(link).query)[self.cursor_query_param][0]

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        results = paginated["properties"].pop("results")  # kept last, as in the answer
        for side in ("next", "previous"):
            paginated["properties"][f"{side}_cursor"] = {
                "type": "string",
                "nullable": True,
                "description": f"The `{self.cursor_query_param}` of the {side} page, for "
                "the same query; null when there is none.",
            }
        paginated["properties"]["results"] = results
        paginated["required"] = [*paginated["required"], "next_cursor", "previous_cursor"]
        return paginated

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.cursor_query_param:
                parameter["description"] = (
                    "The page to read: `next_cursor` or `previous_cursor` of a page read "
                    "with the same query. Omit it for the first page; an unknown cursor "
                    "answers 404."
                )
            elif parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Rows per page, {self.page_size} unless given; a number out of range "
                    "is refused (400)."
                )
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters
