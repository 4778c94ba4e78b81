"""gunicorn configuration for `manage.py benchmark --gc-freeze` (an experiment).

Each worker loads the whole application (URLconf, views, serializers) and then
moves every object alive at that point into CPython's permanent generation with
`gc.freeze()`. Full garbage collections then no longer walk the ~120,000
start-up objects, which otherwise shows as 100 ms pauses every few dozen list
requests (the API's p99). Production does not use this yet: the benchmark runs
without it unless asked, and docs/benchmarks.md reports both.
"""

import gc


def post_worker_init(worker):
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view, serializer and filter)
    gc.collect()
    gc.freeze()
