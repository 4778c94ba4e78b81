"""Test settings: whatever DATABASE_URL / CELERY_BROKER_URL say, plus fast hashing and captured mail."""

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-uploads"
# Unit tests run tasks in-process; integration tests start a real worker themselves.
CELERY_TASK_ALWAYS_EAGER = True
