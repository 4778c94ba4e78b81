"""Error answers: the API's JSON shape under /api/, Django's generic pages elsewhere.

DRF answers its own errors inside API views. A URL under /api/ that matches no API
route is answered by `api_not_found`, the last route under /api/ (config/urls.py):
a route, not `handler404`, because with DEBUG on Django shows its technical 404 page
instead of calling the handler. The handlers cover what still reaches Django's
handlers: an unexpected exception (500), which must never show a stack trace or
the exception's text.
"""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import is_valid_path
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt, requires_csrf_token
from rest_framework.exceptions import APIException, NotFound, ParseError, PermissionDenied


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _json(detail, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": str(detail)}, status=status, json_dumps_params={"ensure_ascii": False}
    )


API_NOT_FOUND = "api-not-found"  # the catch-all's URL name


@csrf_exempt  # it reads and changes nothing: a POST gets the same 404 as a GET
def api_not_found(request, *args, **kwargs):
    """The catch-all at the end of /api/: `{"detail": …}` 404 for every method, whatever
    DEBUG says, and APPEND_SLASH's redirect for a route written without its last slash
    (the catch-all matches such a path first, so CommonMiddleware no longer would)."""
    if settings.APPEND_SLASH and not request.path_info.endswith("/"):
        route = is_valid_path(f"{request.path_info}/", getattr(request, "urlconf", None))
        if route and route.url_name != API_NOT_FOUND:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    # An address that matches no API route is no authorization question: without a
    # resolver match the audit (AccessDeniedAuditMiddleware) leaves it out, as before.
    request.resolver_match = None
    return _json(NotFound.default_detail, 404)


def not_found(request, exception):
    """`handler404`: `{"detail": …}` under /api/ (a Http404 outside DRF's views, which
    `api_not_found` does not see), Django's page for everything else."""
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
