from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from dialogue.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("dialogue.api.urls", namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("dialogue.plans_urls", namespace="plans")),
    # The company portal: invited company users, its own layout and sign-in.
    path("portal/", include("dialogue.portal.urls", namespace="portal")),
    # The officials' workspace; its dashboard is the front door.
    path("", include("dialogue.urls", namespace="workspace")),
]

handler404 = "dialogue.api.views.errors.not_found"
