"""Reference endpoints: the least code that returns the same rows as an endpoint.

They exist only in the benchmark URLconf (`dialogue.devtools.benchmarks.urls`). Each one
applies the same visibility (`visible_to(user)`) and authentication as the API,
so a benchmark compares the API's extra work (serializers, per-row visibility
of related ids, filters, pagination) against a floor, on the same rows.
"""

import hashlib
import json
import re
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import F
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET, require_POST
from rest_framework.exceptions import AuthenticationFailed

from dialogue.api.authentication import ExpiringTokenAuthentication
from dialogue.enums import Role
from dialogue.models import Concern, ConcernAttachment, Threat
from dialogue.services.concerns import concern_reference_next

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


# -- workspace pages ---------------------------------------------------------
# A page's reference replays the SQL the page itself ran (captured by the `pages`
# benchmark in its own process, as executed, parameters inlined) through a raw
# cursor, then answers the HTML bytes that page rendered. It is the floor under
# the page: the same database work and the same bytes, with no ORM, forms or
# template rendering in between.
PAGE_SPEC_DIR = Path(settings.BASE_DIR) / "var" / "bench-pages"
PAGE_NAME = re.compile(r"^[a-z0-9-]+$")
_page_specs: dict[str, tuple[float, list[str], bytes]] = {}


def page_spec_path(name: str) -> Path:
    return PAGE_SPEC_DIR / f"{name}.json"


def _page_spec(name: str) -> tuple[list[str], bytes] | None:
    """The captured statements and bytes of a page, read again only when the file changes."""
    path = page_spec_path(name)
    try:
        modified = path.stat().st_mtime
    except FileNotFoundError:
        return None
    cached = _page_specs.get(name)
    if cached is None or cached[0] != modified:
        spec = json.loads(path.read_text())
        cached = (modified, spec["statements"], spec["html"].encode())
        _page_specs[name] = cached
    return cached[1], cached[2]


@require_GET
def page_reference(request, name: str):
    """The page's own statements through a raw cursor, then the page's bytes."""
    if not request.user.is_authenticated:  # the same session and user lookups as the page
        return HttpResponse(status=403)
    spec = _page_spec(name) if PAGE_NAME.match(name) else None
    if spec is None:
        return HttpResponse(status=404)
    statements, html = spec
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
            if cursor.description is not None:
                cursor.fetchall()
    return HttpResponse(html, content_type="text/html; charset=utf-8")


# -- portal concern submission ------------------------------------------------
@require_POST
def concern_submit_reference(request):
    """The inserts of a portal submission and nothing else: the concern row (with the
    organization's next reference number, as the portal takes it), the file, the
    attachment row. No form, validation, history, notifications or ledger."""
    user = request.user
    if not user.is_authenticated or user.role != Role.COMPANY or not user.organization_id:
        return HttpResponse(status=403)
    form, upload = request.POST, request.FILES["attachments"]
    data = upload.read()
    concern = Concern(
        organization_id=user.organization_id,
        submitted_by=user,
        sector_id=int(form["sector"]),
        category_id=int(form["category"]),
        title=form["title"],
        description=form["description"],
        desired_support=form["desired_support"],
        marking=form["marking"],
        reference=concern_reference_next(organization_id=user.organization_id),
    )
    Concern.objects.bulk_create([concern])  # no signals: no history row
    attachment = ConcernAttachment(
        concern=concern,
        original_name=upload.name,
        content_type=upload.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user,
    )
    field = ConcernAttachment._meta.get_field("file")
    attachment.file = field.storage.save(
        field.generate_filename(attachment, "upload.pdf"), ContentFile(data)
    )
    ConcernAttachment.objects.bulk_create([attachment])
    return HttpResponseRedirect(reverse("portal:concern-detail", args=[concern.reference]))
