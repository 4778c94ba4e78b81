from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView

from dialogue.api.schema_view import EnglishSchemaView
from dialogue.api.views.errors import API_NOT_FOUND, api_not_found
from dialogue.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("dialogue.api.urls", namespace="api")),
    path("api/schema/", EnglishSchemaView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file of its own (?script=),
    # so the page needs no inline script under the Content-Security-Policy.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="dialogue/api_docs.html"
        ),
        name="api-docs",
    ),
    # Last under /api/: any other address there answers the API's JSON 404, with DEBUG
    # on too (Django would show its technical 404 page rather than call handler404).
    re_path(r"^api/", api_not_found, name=API_NOT_FOUND),
    path("", include("dialogue.plans_urls", namespace="plans")),
    # The company portal: invited company users, its own layout and sign-in.
    path("portal/", include("dialogue.portal.urls", namespace="portal")),
    # The officials' workspace; its dashboard is the front door.
    path("", include("dialogue.urls", namespace="workspace")),
]

# Under /api/ errors answer in the API's JSON shape; elsewhere the generic pages
# (templates/400.html … 500.html), which never show what went wrong.
handler400 = "dialogue.api.views.errors.bad_request"
handler403 = "dialogue.api.views.errors.permission_denied"
handler404 = "dialogue.api.views.errors.not_found"
handler500 = "dialogue.api.views.errors.server_error"
