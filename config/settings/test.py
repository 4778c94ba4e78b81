"""Test settings: whatever DATABASE_URL / CELERY_BROKER_URL say, plus fast hashing and captured mail."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, INSTALLED_APPS, env

# The developer commands (seed_demo, generate_bench_data, benchmark) have tests too.
INSTALLED_APPS = [*INSTALLED_APPS, "dialogue.devtools"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One folder per pytest-xdist worker (gw0, gw1 …), as each has its own test database.
MEDIA_ROOT = BASE_DIR / "var" / "test-uploads" / os.environ.get("PYTEST_XDIST_WORKER", "main")
# Unit tests run tasks in-process; integration tests start a real worker themselves.
CELERY_TASK_ALWAYS_EAGER = True

# A worker process started by the integration tests writes e-mails to files the test reads.
# (Test-only knobs, read with os.environ: they are not part of a deployment's configuration.)
if os.environ.get("TEST_EMAIL_FILE_PATH"):
    EMAIL_BACKEND = os.environ.get(
        "TEST_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
    )
    EMAIL_FILE_PATH = os.environ["TEST_EMAIL_FILE_PATH"]

# Integration tests kill workers on purpose: look for their unacknowledged tasks every second.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
