"""Benchmark server settings: production-like, served by gunicorn on 127.0.0.1 only.

`manage.py benchmark` starts gunicorn with these settings. They differ from
production only where a loopback benchmark needs it: plain HTTP (no SSL
redirect or secure cookies), throttle rates the load generator cannot reach,
and a URLconf that adds the benchmarks' reference endpoints to the real ones,
so reference endpoints never exist in the production URLconf.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import (
    CELERY_BROKER_URL,
    DATABASES,
    INSTALLED_APPS,
    REST_FRAMEWORK,
    env,
)

DEBUG = False
# The reference endpoints live in the developer tools app, as does their URLconf.
INSTALLED_APPS = [*INSTALLED_APPS, "dialogue.devtools"]
ROOT_URLCONF = "dialogue.devtools.benchmarks.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# Same database as the command that starts the server (DATABASE_URL), kept open
# between requests like production.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)

# The throttles still run on every request (their cost is part of the figure) but
# never answer 429 to the load generator.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "user": "1000000/minute",
        # The portal-submission benchmark sends hundreds of concerns an hour.
        "concern_submit": "1000000/hour",
    },
}

# A Redis cache behind the throttle and the sign-in lock-outs, as production has
# (CACHE_URL=redis://…): every API request reads and writes it. Without CACHE_URL,
# the broker's Redis when there is one (`make bench` sets it), else local memory.
_REDIS_BROKER = CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""
CACHES = {"default": env.cache_url("CACHE_URL", default=_REDIS_BROKER or "locmemcache://")}

# Only errors: a log line per request would be measured too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
