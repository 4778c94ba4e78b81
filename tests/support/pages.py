"""The URL of each named page of the workspace and the portal in the access world
(worlds/access.py): which record its <pk> names, the query it needs. Shared by the
access sweep and the accessibility scan."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from tests.support.routes import page_routes
from tests.support.sweep import MISSING_ID, MISSING_REFERENCE
from tests.support.worlds.api import SEMI_AMBER

# The product of semiconductors' AMBER dependency figure.
SEMI_DEPENDENCY_CHART = "?" + urlencode(
    {"sector": "semiconductors", "product": SEMI_AMBER["dependency"], "hs_code": "281111"}
)

# The record a page's <pk> names, by the longest matching URL-name prefix.
PAGE_RECORDS = {
    "workspace:threat-": "threat_semi",
    "workspace:chokepoint-": "chokepoint_a",
    "workspace:dependency-": "dependency_semi",
    "workspace:session-": "session_a",
    "workspace:action-": "action_a",
    "workspace:concern-": "concern_a",
    "workspace:digest-": "digest",
    "workspace:notice-": "notice",
    "workspace:notice-edit": "notice_draft",
    "workspace:notice-publish": "notice_draft",
    "portal:notice-": "notice",
    "workspace:referral-": "concern_a",
    "workspace:support-organization-": "support_organization",
    "workspace:support-scheme-": "support_scheme",
    "plans:plan-": "draft",
    "plans:export-job": "done_export",
    "portal:concern-": "concern_a",
    "portal:attachment-": "attachment_a",
    "portal:referral-": "concern_a",
    "portal:action-": "action_a",
    "portal:colleague-": "colleague",
    "portal:invitation-revoke": "invitation",
    "portal:token-revoke": "token_a",
    "workspace:token-revoke": "official_token",
    "workspace:saved-filter-": "saved_filter",
}
PAGE_QUERIES = {
    "workspace:search": "?q=:",  # most titles in the world have one: many results of each kind
    "plans:plan-export": "?format=csv",
    "plans:list-export": "?format=csv",
    "set_language": "?next=/sectors/",
    "workspace:dependency-chart": SEMI_DEPENDENCY_CHART,
    "workspace:dependency-chart-svg": SEMI_DEPENDENCY_CHART,
}


def record_for(name: str) -> str:
    prefixes = [p for p in PAGE_RECORDS if name.startswith(p)]
    assert prefixes, f"{name}: which record does its <pk> name? extend PAGE_RECORDS"
    return PAGE_RECORDS[max(prefixes, key=len)]


def page_url(name: str, world: dict, role: str, *, missing: bool = False) -> str:
    route = page_routes()[name]
    kwargs = {}
    for param in route.params:
        if param == "pk":
            kwargs[param] = MISSING_ID if missing else world[record_for(name)].pk
        elif param == "reference":  # a concern in the portal: its organization's number
            kwargs[param] = MISSING_REFERENCE if missing else world[record_for(name)].reference
        elif param == "code" and name.startswith("workspace:forum-"):
            kwargs[param] = "no-such-forum" if missing else world["forum"].code
        elif param == "code":
            kwargs[param] = "no-such-sector" if missing else "semiconductors"
        elif param == "number":  # a referral, by its number within the concern
            kwargs[param] = world["referral_a"].number
        elif param == "kind":
            kwargs[param] = "threats"
        elif param in ("uidb64", "token") and name == "portal:password-reset-confirm":
            kwargs[param] = world["reset"][param]
        elif param == "token" and name == "portal:invitation-link":
            kwargs[param] = world["invitation_token"]
        else:
            raise AssertionError(f"{name}: no value for <{param}>: extend page_url()")
    url = reverse(name, kwargs=kwargs) + PAGE_QUERIES.get(name, "")
    if name == "workspace:calendar-feed" and role != "anonymous":
        url += "?token=" + world["feeds"][role]
    return url
