"""Liveness and readiness for load balancers and docker-compose health checks."""

from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dialogue.selectors.health import broker_status, database_status


# Outside ATOMIC_REQUESTS: opening the request's transaction needs the database, so
# with it down the probe would fail before it could answer 503 with what is down.
@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request):
    database = database_status()
    broker = broker_status()
    healthy = database["ok"] and broker["ok"]
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )
