"""The benchmark server's URLconf: every production URL plus the reference endpoints."""

from django.urls import path

from config.urls import urlpatterns as production_urlpatterns
from dialogue.devtools.benchmarks.views import threats_reference

urlpatterns = [
    path("bench/threats-reference/", threats_reference, name="bench-threats-reference"),
    *production_urlpatterns,
]
