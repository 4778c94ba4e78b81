"""Error answers: the API's JSON shape under /api/, Django's generic pages elsewhere.

DRF answers its own errors inside API views; these handlers cover what reaches
Django's handlers instead: a URL under /api/ that matches no route, and an
unexpected exception (500), which must never show a stack trace or the
exception's text.
"""

from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from rest_framework.exceptions import APIException, NotFound, ParseError, PermissionDenied


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _json(detail, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": str(detail)}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def not_found(request, exception):
    """`handler404`: the documented `{"detail": …}` for API paths (e.g. /api/v1/threats/abc/),
    Django's page for everything else."""
    if _is_api(request):
        return _json(NotFound.default_detail, 404)
    return defaults.page_not_found(request, exception)


@requires_csrf_token
def permission_denied(request, exception):
    if _is_api(request):
        return _json(PermissionDenied.default_detail, 403)
    return defaults.permission_denied(request, exception)


@requires_csrf_token
def bad_request(request, exception):
    if _is_api(request):
        return _json(ParseError.default_detail, 400)
    return defaults.bad_request(request, exception)


@requires_csrf_token
def server_error(request):
    """`handler500`: a fixed message, whatever the exception said."""
    if _is_api(request):
        return _json(APIException.default_detail, 500)
    return defaults.server_error(request)
