"""The benchmark server's URLconf: every production URL plus the reference endpoints."""

from django.urls import path

from config.urls import urlpatterns as production_urlpatterns
from dialogue.devtools.benchmarks.views import (
    concern_submit_reference,
    page_reference,
    threats_reference,
)

urlpatterns = [
    path("bench/threats-reference/", threats_reference, name="bench-threats-reference"),
    path("bench/pages/<slug:name>/", page_reference, name="bench-page-reference"),
    path("bench/concern-submit/", concern_submit_reference, name="bench-concern-submit"),
    *production_urlpatterns,
]
