"""A test-only URLconf: the real one plus views that fail, to see what a failure shows.

Used with override_settings(ROOT_URLCONF="tests.security.error_urls"); the error
handlers are the real ones from config/urls.py.
"""

from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as real_urlpatterns

SECRET_DETAIL = "connection to db-secret-host.internal failed for concern 4711"


def broken_page(request):
    raise RuntimeError(SECRET_DETAIL)


@api_view(["GET"])
@permission_classes([AllowAny])
def broken_api(request):
    raise RuntimeError(SECRET_DETAIL)


urlpatterns = [
    path("broken/", broken_page, name="broken-page"),
    path("api/v1/broken/", broken_api, name="broken-api"),
    *real_urlpatterns,
]
