"""gunicorn settings for production and `make run`: `gunicorn config.wsgi --config python:config.gunicorn`.

Command-line options (bind address, workers) still apply on top of these.

Each worker loads the whole application (URLconf, views, serializers, filters)
once it has started and then moves every object alive at that point into
CPython's permanent generation with `gc.freeze()`. Full garbage collections
then no longer walk the ~120,000 start-up objects, which otherwise shows as
pauses of about 100 ms every few dozen list requests: the API's p99 latency
(docs/benchmarks.md, api-threats).
"""

import gc
import os

# Requests that take longer than this are aborted and the worker replaced.
timeout = 60
# Let a worker finish its requests on a restart or deploy.
graceful_timeout = 30


def post_worker_init(worker):
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view, serializer and filter)
    gc.collect()
    gc.freeze()


def when_ready(server):
    """Say once, at start, where background tasks run."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        server.log.info(
            "No broker configured (CELERY_BROKER_URL): background tasks run in-process, "
            "inside the web server; no Celery worker or beat is needed"
        )
