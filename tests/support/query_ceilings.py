"""The most queries a page or an API request may run, whatever the number of rows.

The query-budget tests check that a count does not grow with the rows; a ceiling also
catches a change that adds a fixed number of queries. Each ceiling is the count measured
when it was set, plus a margin of two; the largest count over the roles a test signs in as.
"""

from django.urls import resolve

MARGIN = 2

# Measured count, per page (URL name) or API request; the ceiling is this plus MARGIN.
MEASURED = {
    # Workspace pages (tests/views)
    "workspace:dashboard": 28,
    "workspace:search": 18,
    "workspace:sector-detail": 21,
    "workspace:threat-list": 11,
    "workspace:chokepoint-list": 10,
    "workspace:dependency-list": 8,
    "workspace:dependency-map": 10,
    "workspace:dependency-map-svg": 8,
    "workspace:session-list": 13,
    "workspace:action-list": 11,
    "workspace:concern-list": 11,
    "workspace:notice-list": 9,
    "workspace:forum-list": 8,
    "workspace:forum-detail": 16,
    # API lists, a page of 1 to 200 rows (tests/api/test_query_budgets.py)
    "GET /api/v1/organizations/": 4,
    "GET /api/v1/sessions/": 13,
    "GET /api/v1/threats/": 10,
    "GET /api/v1/chokepoints/": 7,
    "GET /api/v1/dependencies/": 10,
    "GET /api/v1/concerns/": 5,
    "GET /api/v1/actions/": 10,
    "GET /api/v1/plan-revisions/": 3,
    "GET /api/v1/notices/": 10,
    "GET /api/v1/sectors/": 3,
    "GET /api/v1/threat-categories/": 3,
    "GET /api/v1/forums/": 4,
    "GET /api/v1/concerns/{id}/messages/": 5,
    "GET /api/v1/concerns/{id}/attachments/": 5,
    "GET /api/v1/concerns/{id}/referrals/": 5,
    "GET /api/v1/support-organizations/": 6,
    "GET /api/v1/support-schemes/": 5,
    # API details with one or many related rows
    "GET /api/v1/threats/{id}/": 9,
    "GET /api/v1/sessions/{id}/": 13,
}
CEILINGS = {name: measured + MARGIN for name, measured in MEASURED.items()}


def assert_within_ceiling(name: str, count: int) -> None:
    """`name`: a row of MEASURED, or a workspace URL (its URL name is the row)."""
    if name.startswith("/"):
        name = resolve(name).view_name
    assert count <= CEILINGS[name], f"{name}: {count} queries, the ceiling is {CEILINGS[name]}"
