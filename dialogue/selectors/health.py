"""Reachability of the services the app depends on (no secrets in the answer)."""

from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection


def database_status() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"ok": False, "vendor": connection.vendor, "error": type(error).__name__}
    return {"ok": True, "vendor": connection.vendor}


def broker_status() -> dict[str, Any]:
    """Ping the Celery broker; with none configured, tasks run in-process and that is healthy."""
    if not settings.CELERY_BROKER_URL:
        return {"ok": True, "mode": "in-process"}
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # kombu raises many types; report, never crash the probe
        return {"ok": False, "mode": "broker", "error": type(error).__name__}
    return {"ok": True, "mode": "broker"}
