"""Reference endpoints: the least code that returns the same rows as an API endpoint.

They exist only in the benchmark URLconf (`dialogue.devtools.benchmarks.urls`). Each one
applies the same visibility (`visible_to(user)`) and authentication as the API,
so a benchmark compares the API's extra work (serializers, per-row visibility
of related ids, filters, pagination) against a floor, on the same rows.
"""

from django.db.models import F
from django.http import JsonResponse
from django.utils import translation
from django.views.decorators.http import require_GET
from rest_framework.exceptions import AuthenticationFailed

from dialogue.api.authentication import ExpiringTokenAuthentication
from dialogue.models import Threat

PAGE_SIZE = 50

# The threat list's own columns and the same joined names as the API: sector
# code and name, threat code and name (names in the request's language).
THREAT_COLUMNS = (
    "id",
    "title",
    "description",
    "sector_id",
    "sector__code",
    "category__code",
    "likelihood",
    "impact",
    "severity",
    "status",
    "marking",
    "created_at",
    "updated_at",
    "version",
)


def _token_user(request):
    try:
        authenticated = ExpiringTokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return None
    return authenticated[0] if authenticated else None


@require_GET
def threats_reference(request):
    """`.values()` over `Threat.objects.visible_to(user)` with keyset pagination on -id."""
    user = _token_user(request)
    if user is None:
        return JsonResponse({"detail": "A valid token is required."}, status=401)
    rows = Threat.objects.visible_to(user)
    cursor = request.GET.get("cursor", "")
    if cursor:
        if not cursor.isdigit():
            return JsonResponse({"detail": "cursor must be an id."}, status=400)
        rows = rows.filter(id__lt=int(cursor))
    language = "en" if (translation.get_language() or "")[:2] == "en" else "ja"
    names = {
        "sector_name": F(f"sector__name_{language}"),
        "category_name": F(f"category__name_{language}"),
    }
    page = list(rows.order_by("-id").values(*THREAT_COLUMNS, **names)[: PAGE_SIZE + 1])
    next_cursor = page[PAGE_SIZE - 1]["id"] if len(page) > PAGE_SIZE else None
    # UTF-8 as the API renders it (JsonResponse would escape every Japanese character).
    return JsonResponse(
        {"next": next_cursor, "results": page[:PAGE_SIZE]},
        json_dumps_params={"ensure_ascii": False},
    )
