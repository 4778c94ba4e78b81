"""A URL under /api/ that matches no route still answers in the API's JSON shape."""

from django.http import JsonResponse
from django.views import defaults
from rest_framework.exceptions import NotFound


def not_found(request, exception):
    """`handler404`: the documented `{"detail": …}` for API paths (e.g. /api/v1/threats/abc/),
    Django's page for everything else."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": str(NotFound.default_detail)},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return defaults.page_not_found(request, exception)
