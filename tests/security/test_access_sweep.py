"""App-wide access sweep: every URL pattern of the project × every role (STYLE.md, Tests).

The URL patterns come from Django's resolver (officials' workspace, plans and exports,
the company portal, the admin, auth pages, i18n, health check, calendar feed, API schema
and docs); the API's operations come from the generated OpenAPI schema. Each is called
by each role with its path filled with company A's / semiconductors' records, and the
answer must be the one in the tables below:

- `PAGES`: one row per named URL outside the API and the admin;
- `API`: one row per (method, path) of the schema; the router's `.json` variants must
  answer like the path they extend;
- `ADMIN_SITE` and `ADMIN_MODELS`: the admin by rule — who gets in at all, then per
  registered model which officials may see the record its URLs are filled with.

A URL pattern or an operation without a row fails, and so does a row that names none.

Every body (2xx, and error pages too) is searched for what the caller must never see (the other company's
name, number, people and concerns; another sector's AMBER items; RED items the caller
is not named on; internal notes). A 404 for a record the caller may not see must be the
very answer a missing id gets. Writes run in a savepoint that is rolled back, so no
case sees another's; a write answered with a refusal must leave the records as they were,
and a write the table expects to succeed (DONE) must really change them.
"""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import dataclass
from typing import NamedTuple

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import translation
from rest_framework.test import APIClient

from dialogue.enums import ConcernLevel
from dialogue.models import (
    AgendaItem,
    ApiToken,
    ChokepointTechnology,
    Concern,
    ConcernAttachment,
    ConcernMessage,
    DialogueSession,
    Digest,
    ExportJob,
    FollowUpAction,
    Invitation,
    Notification,
    Organization,
    Participant,
    PlanRevision,
    PlanRevisionItem,
    PortalSubmission,
    Threat,
    ThreatCategory,
    User,
)
from tests.api.test_authorization_sweep import PASSWORD, body_text, schema_operations
from tests.api.test_authorization_sweep import bodies as api_bodies
from tests.security.world import (
    RED,
    RED_NAMED,
    ROLES,
    STRICT,
    STRICT_SEES,
    build_sweep_world,
    never_shown,
)

MISSING_ID = 987654
MISSING_REFERENCE = "2099-9876"
NEW_PASSWORD = "Sweep-kakunin-2030"

# -- outcomes ----------------------------------------------------------------------------
# A status code, or one of these for a redirect (asserted on its Location).
LOGIN = "→ workspace sign-in"  # /accounts/login/?next=…
PORTAL_LOGIN = "→ portal sign-in"  # /portal/login/?next=…
ADMIN_LOGIN = "→ admin sign-in"  # /admin/login/?next=…
PORTAL = "→ portal"  # /portal/: a company user on an officials' page
WORKSPACE = "→ workspace"  # /: an official on a company page
ADMIN_INDEX = "→ admin index"  # /admin/: where the admin sends a record that does not exist
DONE = "302, saved"  # the write went through, then a redirect
REDIRECT = 302  # any other redirect, nothing saved

SIGN_IN_PAGES = {
    "/accounts/login/?next=": LOGIN,
    "/portal/login/?next=": PORTAL_LOGIN,
    "/admin/login/?next=": ADMIN_LOGIN,
}
HOME_PAGES = {"/portal/": PORTAL, "/": WORKSPACE, "/admin/": ADMIN_INDEX}


def outcome(response, *, changed: bool, api: bool) -> int | str:
    status = response.status_code
    if status in (301, 302, 303):
        if changed:
            return DONE
        location = response["Location"]
        return next(
            (token for prefix, token in SIGN_IN_PAGES.items() if location.startswith(prefix)),
            HOME_PAGES.get(location, REDIRECT),
        )
    succeeded = 200 <= status < 300
    if changed and not succeeded:
        return f"{status}, and something was saved"
    if api and succeeded and not changed and response.request["REQUEST_METHOD"] != "GET":
        return f"{status}, but nothing was saved"
    return status


# -- the tables --------------------------------------------------------------------------
# Columns, in the order of ROLES: anonymous, company A user, company A's portal admin,
# company B user, semiconductors official, batteries official, secretariat, deactivated
# company A user (signed in, with an API token, before being deactivated).


def row(*outcomes) -> dict[str, int | str]:
    assert len(outcomes) == len(ROLES), outcomes
    return dict(zip(ROLES, outcomes, strict=True))


def everyone(result) -> dict[str, int | str]:
    return row(*[result] * len(ROLES))


def officials(semi, batt, secretariat) -> dict[str, int | str]:
    """The workspace: visitors sign in first, company users are sent to their portal."""
    return row(LOGIN, PORTAL, PORTAL, PORTAL, semi, batt, secretariat, LOGIN)


def companies(a, a_admin, b) -> dict[str, int | str]:
    """The portal: visitors sign in first, officials are sent to their workspace."""
    return row(PORTAL_LOGIN, a, a_admin, b, WORKSPACE, WORKSPACE, WORKSPACE, PORTAL_LOGIN)


def api(a, a_admin, b, semi, batt, secretariat) -> dict[str, int | str]:
    return row(401, a, a_admin, b, semi, batt, secretariat, 401)


def rows(get, post) -> dict[str, dict]:
    return {"GET": get, "POST": post}


# Named URLs outside the API and the admin: method → outcome per role.
# The records: semiconductors' AMBER threat, chokepoint (held by A), session (with A) and
# action (owned by a company A user); A's AMBER+STRICT concern and its attachment; the
# draft plan revision; the semiconductors official's digest and finished export.
PAGES: dict[str, dict[str, dict]] = {
    # Officials' workspace
    "workspace:dashboard": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:login": rows(
        row(200, PORTAL, PORTAL, PORTAL, WORKSPACE, WORKSPACE, WORKSPACE, 200),
        row(200, PORTAL, PORTAL, PORTAL, WORKSPACE, WORKSPACE, WORKSPACE, 200),
    ),
    "workspace:logout": rows(everyone(405), everyone(REDIRECT)),
    "workspace:password-change": rows(officials(200, 200, 200), officials(DONE, DONE, DONE)),
    # One's own API token: the semiconductors official's.
    "workspace:token-revoke": rows(officials(405, 405, 405), officials(DONE, 404, 404)),
    "workspace:sector-list": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:sector-detail": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:threat-list": rows(officials(200, 200, 200), officials(200, 200, 200)),
    # The batteries official may not record for semiconductors: the form comes back.
    "workspace:threat-create": rows(officials(200, 200, 200), officials(DONE, 200, DONE)),
    "workspace:threat-detail": rows(officials(200, 404, 200), officials(200, 404, 200)),
    "workspace:threat-edit": rows(officials(200, 404, 200), officials(DONE, 404, DONE)),
    "workspace:threat-status": rows(officials(405, 405, 405), officials(DONE, 404, DONE)),
    "workspace:chokepoint-list": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:chokepoint-create": rows(officials(200, 200, 200), officials(DONE, 200, DONE)),
    "workspace:chokepoint-detail": rows(officials(200, 404, 200), officials(200, 404, 200)),
    "workspace:chokepoint-edit": rows(officials(200, 404, 200), officials(DONE, 404, DONE)),
    "workspace:session-list": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:session-create": rows(officials(200, 200, 200), officials(DONE, 200, DONE)),
    "workspace:session-detail": rows(officials(200, 404, 200), officials(200, 404, 200)),
    "workspace:session-edit": rows(officials(200, 404, 200), officials(DONE, 404, DONE)),
    "workspace:session-status": rows(officials(405, 405, 405), officials(DONE, 404, DONE)),
    "workspace:action-list": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:action-create": rows(officials(200, 200, 200), officials(DONE, 200, DONE)),
    # The batteries official's selection holds no action they may see: nothing moves.
    "workspace:action-bulk-status": rows(officials(405, 405, 405), officials(DONE, REDIRECT, DONE)),
    "workspace:action-detail": rows(officials(200, 404, 200), officials(200, 404, 200)),
    # A GET goes back to the action's page.
    "workspace:action-status": rows(officials(REDIRECT, 404, REDIRECT), officials(DONE, 404, DONE)),
    "workspace:concern-list": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:concern-detail": rows(officials(200, 404, 200), officials(200, 404, 200)),
    "workspace:concern-assign": rows(officials(405, 405, 405), officials(DONE, 404, DONE)),
    "workspace:concern-message": rows(officials(405, 405, 405), officials(DONE, 404, DONE)),
    "workspace:concern-status": rows(officials(405, 405, 405), officials(DONE, 404, DONE)),
    "workspace:concern-link-threat": rows(officials(405, 405, 405), officials(DONE, 404, DONE)),
    "workspace:calendar": rows(officials(200, 200, 200), officials(200, 200, 200)),
    # The feed is fetched with the caller's own feed token (none for the anonymous visitor):
    # a company user's or a deactivated user's token opens nothing.
    "workspace:calendar-feed": rows(
        row(LOGIN, 404, 404, 404, 200, 200, 200, 404),
        row(LOGIN, 404, 404, 404, 200, 200, 200, 404),
    ),
    "workspace:search": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:digest-list": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:digest-preferences": rows(officials(200, 200, 200), officials(DONE, DONE, DONE)),
    "workspace:digest-detail": rows(officials(200, 404, 404), officials(200, 404, 404)),
    # Plan revisions and exports: officials read, the plan team (secretariat) writes.
    "plans:plan-list": rows(officials(200, 200, 200), officials(200, 200, 200)),
    # A draft exists already: the secretariat is told so (nothing saved).
    "plans:plan-start": rows(officials(405, 405, 405), officials(403, 403, REDIRECT)),
    "plans:plan-detail": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "plans:plan-diff": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "plans:plan-refresh": rows(officials(405, 405, 405), officials(403, 403, DONE)),
    "plans:plan-publish": rows(officials(405, 405, 405), officials(403, 403, DONE)),
    "plans:plan-delete": rows(officials(405, 405, 405), officials(403, 403, DONE)),
    "plans:plan-export": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "plans:export-job-list": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "plans:list-export": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "plans:export-job": rows(officials(200, 404, 404), officials(200, 404, 404)),
    "plans:export-job-download": rows(officials(200, 404, 404), officials(200, 404, 404)),
    # Company portal
    "portal:home": rows(companies(200, 200, 200), companies(405, 405, 405)),
    "portal:login": rows(
        row(200, PORTAL, PORTAL, PORTAL, WORKSPACE, WORKSPACE, WORKSPACE, 200),
        row(200, PORTAL, PORTAL, PORTAL, WORKSPACE, WORKSPACE, WORKSPACE, 200),
    ),
    "portal:logout": rows(everyone(405), everyone(REDIRECT)),
    "portal:account": rows(companies(200, 200, 200), companies(DONE, DONE, DONE)),
    # One's own API token: company A's user's.
    "portal:token-revoke": rows(companies(405, 405, 405), companies(DONE, 404, 404)),
    "portal:password-change": rows(companies(200, 200, 200), companies(DONE, DONE, DONE)),
    "portal:password-reset": rows(everyone(200), everyone(REDIRECT)),
    "portal:password-reset-done": rows(everyone(200), everyone(405)),
    # Company A's own reset link: whoever holds it is sent on to set the password.
    "portal:password-reset-confirm": rows(everyone(REDIRECT), everyone(REDIRECT)),
    "portal:password-reset-complete": rows(everyone(200), everyone(405)),
    # Without an invitation link followed first, there is nothing to accept.
    "portal:invitation-accept": rows(everyone(404), everyone(404)),
    "portal:invitation-link": rows(everyone(REDIRECT), everyone(REDIRECT)),
    "portal:concern-list": rows(companies(200, 200, 200), companies(405, 405, 405)),
    "portal:concern-create": rows(companies(200, 200, 200), companies(DONE, DONE, DONE)),
    "portal:concern-detail": rows(companies(200, 200, 404), companies(405, 405, 405)),
    "portal:concern-reply": rows(companies(405, 405, 405), companies(DONE, DONE, 404)),
    "portal:concern-withdraw": rows(companies(200, 200, 404), companies(DONE, DONE, 404)),
    "portal:attachment-download": rows(companies(200, 200, 404), companies(405, 405, 405)),
    "portal:action-list": rows(companies(200, 200, 200), companies(405, 405, 405)),
    "portal:action-detail": rows(companies(200, 200, 404), companies(405, 405, 405)),
    # Only the action's owner (the company A user) moves it on.
    "portal:action-status": rows(companies(405, 405, 405), companies(DONE, 403, 404)),
    "portal:guidance": rows(companies(200, 200, 200), companies(405, 405, 405)),
    # Only an organization's portal admin manages its colleagues and invitations.
    "portal:colleague-list": rows(companies(403, 200, 403), companies(403, 405, 403)),
    "portal:colleague-invite": rows(companies(403, 405, 403), companies(403, DONE, 403)),
    "portal:colleague-deactivate": rows(companies(403, 405, 403), companies(403, DONE, 403)),
    "portal:invitation-revoke": rows(companies(403, 405, 403), companies(403, DONE, 403)),
    # Around the apps
    "healthz": rows(everyone(200), everyone(405)),
    "set_language": rows(everyone(REDIRECT), everyone(REDIRECT)),
    "api-schema": rows(everyone(200), everyone(405)),
    "api-docs": rows(everyone(200), everyone(405)),
}

# API operations of the schema: (method, path) → outcome per role.
# The records as above; the export job is the semiconductors official's finished one.
API: dict[tuple[str, str], dict[str, int | str]] = {
    # Anyone may try a password (a wrong one gets 400); a token that no longer works gets 401.
    ("POST", "/api/v1/auth/token/"): row(400, 400, 400, 400, 400, 400, 400, 401),
    ("DELETE", "/api/v1/auth/token/"): api(204, 204, 204, 204, 204, 204),
    ("GET", "/api/v1/me/"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/sectors/"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/sectors/{id}/"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/threat-categories/"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/threat-categories/{code}/"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/organizations/"): api(200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/organizations/"): api(403, 403, 403, 403, 403, 201),
    ("GET", "/api/v1/organizations/{id}/"): api(200, 200, 404, 200, 200, 200),
    ("PATCH", "/api/v1/organizations/{id}/"): api(403, 403, 404, 403, 403, 200),
    ("GET", "/api/v1/sessions/"): api(200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/sessions/"): api(403, 403, 403, 201, 403, 201),
    ("GET", "/api/v1/sessions/{id}/"): api(200, 200, 404, 200, 404, 200),
    ("PATCH", "/api/v1/sessions/{id}/"): api(403, 403, 404, 200, 404, 200),
    ("GET", "/api/v1/threats/"): api(200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/threats/"): api(403, 403, 403, 201, 403, 201),
    # A threat belongs to no organization: no company sees an AMBER one.
    ("GET", "/api/v1/threats/{id}/"): api(404, 404, 404, 200, 404, 200),
    ("PATCH", "/api/v1/threats/{id}/"): api(404, 404, 404, 200, 404, 200),
    ("GET", "/api/v1/chokepoints/"): api(200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/chokepoints/"): api(403, 403, 403, 201, 403, 201),
    ("GET", "/api/v1/chokepoints/{id}/"): api(200, 200, 404, 200, 404, 200),
    ("PATCH", "/api/v1/chokepoints/{id}/"): api(403, 403, 404, 200, 404, 200),
    ("GET", "/api/v1/concerns/"): api(200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/concerns/"): api(201, 201, 201, 403, 403, 403),
    ("GET", "/api/v1/concerns/{id}/"): api(200, 200, 404, 200, 404, 200),
    ("PATCH", "/api/v1/concerns/{id}/"): api(403, 403, 404, 200, 404, 200),
    ("GET", "/api/v1/concerns/{concern_pk}/messages/"): api(200, 200, 404, 200, 404, 200),
    ("POST", "/api/v1/concerns/{concern_pk}/messages/"): api(201, 201, 404, 201, 404, 201),
    ("GET", "/api/v1/concerns/{concern_pk}/attachments/"): api(200, 200, 404, 200, 404, 200),
    ("POST", "/api/v1/concerns/{concern_pk}/attachments/"): api(201, 201, 404, 201, 404, 201),
    ("GET", "/api/v1/concerns/{concern_pk}/attachments/{id}/"): api(200, 200, 404, 200, 404, 200),
    ("GET", "/api/v1/concerns/{concern_pk}/attachments/{id}/download/"): api(
        200, 200, 404, 200, 404, 200
    ),
    ("GET", "/api/v1/actions/"): api(200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/actions/"): api(403, 403, 403, 201, 403, 201),
    ("GET", "/api/v1/actions/{id}/"): api(200, 200, 404, 200, 404, 200),
    # Only the owner (the company A user) or the sector's officials move an action on.
    ("PATCH", "/api/v1/actions/{id}/"): api(200, 403, 404, 200, 404, 200),
    ("GET", "/api/v1/plan-revisions/"): api(200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/plan-revisions/"): api(403, 403, 403, 403, 403, 400),
    ("GET", "/api/v1/plan-revisions/{id}/"): api(404, 404, 404, 200, 200, 200),
    ("DELETE", "/api/v1/plan-revisions/{id}/"): api(404, 404, 404, 403, 403, 204),
    ("GET", "/api/v1/plan-revisions/{id}/diff/"): api(404, 404, 404, 200, 200, 200),
    ("POST", "/api/v1/plan-revisions/{id}/publish/"): api(404, 404, 404, 403, 403, 200),
    ("GET", "/api/v1/plan-revisions/{id}/export/"): api(404, 404, 404, 200, 200, 200),
    ("GET", "/api/v1/threats/export/"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/actions/export/"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/chokepoints/export/"): api(200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/export-jobs/"): api(200, 200, 200, 200, 200, 200),
    # API tokens: everyone their own; company A's named token is nobody else's.
    ("GET", "/api/v1/auth/tokens/"): api(200, 200, 200, 200, 200, 200),
    ("DELETE", "/api/v1/auth/tokens/{id}/"): api(204, 404, 404, 404, 404, 404),
    ("GET", "/api/v1/export-jobs/{id}/"): api(404, 404, 404, 200, 404, 404),
    ("GET", "/api/v1/export-jobs/{id}/download/"): api(404, 404, 404, 200, 404, 404),
}

# The admin. Only staff get in: here the officials (the factories and the provisioning
# service make every official staff); everyone else is sent to the admin's sign-in.
STAFF = ("sector_official", "other_sector_official", "secretariat")


def admin_row(staff_outcome) -> dict[str, int | str]:
    """`staff_outcome` for the three officials, the admin's sign-in page for the rest."""
    return {role: staff_outcome if role in STAFF else ADMIN_LOGIN for role in ROLES}


# The admin's own pages, by URL name (the catch-all has none: "catch-all").
ADMIN_SITE: dict[str, dict[str, dict]] = {
    "admin:index": rows(admin_row(200), admin_row(200)),
    "admin:login": rows(
        row(200, 200, 200, 200, ADMIN_INDEX, ADMIN_INDEX, ADMIN_INDEX, 200), everyone(200)
    ),
    # Signing out is a POST; those who are not signed in to the admin go to its index.
    "admin:logout": rows(
        {r: 405 if r in STAFF else ADMIN_INDEX for r in ROLES},
        {r: 200 if r in STAFF else ADMIN_INDEX for r in ROLES},
    ),
    "admin:password_change": rows(admin_row(200), admin_row(200)),
    "admin:password_change_done": rows(admin_row(200), admin_row(405)),
    "admin:autocomplete": rows(admin_row(403), admin_row(405)),
    "admin:jsi18n": rows(admin_row(200), admin_row(405)),
    # No model has a page outside the admin to send the reader to.
    "admin:view_on_site": rows(admin_row(404), admin_row(404)),
    "admin:app_list": rows(admin_row(200), admin_row(200)),
    "catch-all": rows(admin_row(404), admin_row(404)),
}


class AdminModel(NamedTuple):
    use: str  # "read", "invite" or "none", below
    record: str | None  # the world key of the record its URLs name (None: an operator row)
    found_for: set[str]  # the officials the admin finds that record for


# Registered admin models, by "app_label/model_name".
#   "read": officials browse what `visible_to` shows them and change nothing;
#   "invite": officials browse and add invitations (adding one sends it);
#   "none": superusers only (the record may be found, but is never shown).
SEMI_AND_SECRETARIAT = {"sector_official", "secretariat"}
ALL_OFFICIALS = set(STAFF)
ADMIN_MODELS: dict[str, AdminModel] = {
    "dialogue/sector": AdminModel("read", "semi", ALL_OFFICIALS),
    "dialogue/threatcategory": AdminModel("read", "category", ALL_OFFICIALS),
    "dialogue/bestpractice": AdminModel("read", "best_practice", ALL_OFFICIALS),
    "dialogue/foreignmeasure": AdminModel("read", "foreign_measure", ALL_OFFICIALS),
    "dialogue/organization": AdminModel("read", "org_a", ALL_OFFICIALS),
    "dialogue/user": AdminModel("read", "company_a", ALL_OFFICIALS),
    "dialogue/participant": AdminModel("read", "participant_a", SEMI_AND_SECRETARIAT),
    "dialogue/agendaitem": AdminModel("read", "agenda_item_a", SEMI_AND_SECRETARIAT),
    "dialogue/dialoguesession": AdminModel("read", "session_a", SEMI_AND_SECRETARIAT),
    # The GREEN threat every official may read; it links to A's concern and AMBER records.
    "dialogue/threat": AdminModel("read", "threat_green", ALL_OFFICIALS),
    "dialogue/chokepointtechnology": AdminModel("read", "chokepoint_a", SEMI_AND_SECRETARIAT),
    "dialogue/concern": AdminModel("read", "concern_a", SEMI_AND_SECRETARIAT),
    "dialogue/concernmessage": AdminModel("read", "internal_note", SEMI_AND_SECRETARIAT),
    "dialogue/concernattachment": AdminModel("read", "attachment_a", SEMI_AND_SECRETARIAT),
    "dialogue/followupaction": AdminModel("read", "action_a", SEMI_AND_SECRETARIAT),
    # Plan revisions: every official (their lines as far as each may see them).
    "dialogue/planrevision": AdminModel("read", "draft", ALL_OFFICIALS),
    # Operations ledgers: the secretariat; a digest and an export job: their owner.
    "dialogue/reminder": AdminModel("read", "reminder_a", {"secretariat"}),
    "dialogue/notification": AdminModel("read", "notification_a", {"secretariat"}),
    "dialogue/jobrun": AdminModel("read", "job_run", {"secretariat"}),
    "dialogue/digest": AdminModel("read", "digest", {"sector_official"}),
    "dialogue/exportjob": AdminModel("read", "done_export", {"sector_official"}),
    "dialogue/invitation": AdminModel("invite", "invitation", ALL_OFFICIALS),
    # Portal form keys: the admin's list holds none for officials.
    "dialogue/portalsubmission": AdminModel("none", None, set()),
    **{
        model: AdminModel("none", None, ALL_OFFICIALS)
        for model in (
            "auth/group",
            "dialogue/apitoken",
            "django_celery_beat/periodictask",
            "django_celery_beat/intervalschedule",
            "django_celery_beat/crontabschedule",
            "django_celery_beat/clockedschedule",
            "django_celery_beat/solarschedule",
            "axes/accessattempt",
            "axes/accessfailurelog",
            "axes/accesslog",
        )
    },
}

# Lists on which officials have a bulk action of their own: asking there for one they do
# not have (deleting, below) sends them back to the list; elsewhere the list is shown again.
OFFICIALS_BULK_ACTIONS = {
    "dialogue/user": "deactivate_users",
    "dialogue/invitation": "revoke_invitations",
}

# The views of a model's admin, recognized by the end of their route.
ADMIN_VIEWS = {
    "": "changelist",
    "add/": "add",
    "<path:object_id>/history/": "history",
    "<path:object_id>/delete/": "delete",
    "<path:object_id>/change/": "change",
    "<path:object_id>/": "redirect",
    "([^/]+)/history/([^/]+)/$": "version",  # django-simple-history: one past version
    "<id>/password/": "password",  # the user admin: set someone's password
}


def keeps_history(model) -> bool:
    """Whether django-simple-history keeps the model's past versions."""
    return hasattr(model._meta, "simple_history_manager_attribute")


def admin_model_rows(model: str, view: str) -> dict[str, dict]:
    """The rule for the model's admin view, per role and method."""
    use, _record, sees = ADMIN_MODELS[model]

    def staff(get, post) -> dict[str, dict]:
        return {
            "GET": {r: get(r) if r in STAFF else ADMIN_LOGIN for r in ROLES},
            "POST": {r: post(r) if r in STAFF else ADMIN_LOGIN for r in ROLES},
        }

    def seen(result):
        # A record the official may not see is answered as one that does not exist.
        return lambda role: result if role in sees else ADMIN_INDEX

    def always(result):
        return lambda role: result

    if view == "redirect":  # to the change view, which decides
        return staff(always(REDIRECT), always(REDIRECT))
    if use == "none":
        # No permission at all; only the history page looks the record up first.
        return {
            "changelist": staff(always(403), always(403)),
            "add": staff(always(403), always(403)),
            "change": staff(always(403), always(403)),
            "delete": staff(always(403), always(403)),
            "history": staff(seen(403), seen(403)),
        }[view]
    listed_again = always(REDIRECT if model in OFFICIALS_BULK_ACTIONS else 200)
    if use == "invite":
        return {
            "changelist": staff(always(200), listed_again),
            "add": staff(always(200), always(200)),
            "change": staff(seen(200), always(403)),
            "delete": staff(always(403), always(403)),
            "history": staff(seen(200), seen(200)),
        }[view]
    # "read": browse and look back, never change (reverting to a past version neither).
    return {
        "changelist": staff(always(200), listed_again),
        "add": staff(always(403), always(403)),
        "change": staff(seen(200), always(403)),
        "delete": staff(always(403), always(403)),
        "history": staff(seen(200), seen(200)),
        # A past version, where past versions are kept; elsewhere there is none to show.
        "version": staff(seen(200), seen(403))
        if keeps_history(apps.get_model(*model.split("/")))
        else staff(always(ADMIN_INDEX), always(ADMIN_INDEX)),
        "password": staff(always(403), always(403)),
    }[view]


# -- the URL patterns --------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    route: str  # the full pattern, as ResolverMatch.route spells it
    name: str | None  # "namespace:name"
    pattern: URLPattern

    @property
    def params(self) -> list[str]:
        regex = self.pattern.pattern.regex
        return list(regex.groupindex) or [f"_{n}" for n in range(regex.groups)]


def _join(prefix: str, route: str) -> str:
    # As django.urls.resolvers does for ResolverMatch.route.
    return prefix + route.removeprefix("^") if prefix else route


def _walk(resolver: URLResolver, prefix: str = "", namespaces: tuple = ()):
    for entry in resolver.url_patterns:
        route = _join(prefix, str(entry.pattern))
        if isinstance(entry, URLResolver):
            more = (entry.namespace,) if entry.namespace else ()
            yield from _walk(entry, route, namespaces + more)
        else:
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            yield Route(route, name, entry)


@functools.cache
def project_routes() -> tuple[Route, ...]:
    return tuple(_walk(get_resolver()))


def page_routes() -> dict[str, Route]:
    found = [r for r in project_routes() if not r.route.startswith(("api/v1/", "admin/"))]
    named = {r.name: r for r in found}
    assert None not in named, f"unnamed URL patterns: {[r.route for r in found if not r.name]}"
    assert len(named) == len(found), "two URL patterns share a name"
    return named


FORMAT_SUFFIX = r"\.(?P<format>[a-z0-9]+)/?$"


def api_routes() -> list[Route]:
    return [r for r in project_routes() if r.route.startswith("api/v1/")]


def admin_routes() -> dict[str, Route]:
    """Admin patterns by the key the admin tables use: a site view's name, or
    "app_label/model_name view" for a model's view."""
    routes = [r for r in project_routes() if r.route.startswith("admin/")]
    keyed = {admin_key(route): route for route in routes}
    assert len(keyed) == len(routes), "two admin URL patterns under one key"
    return keyed


def admin_key(route: Route) -> str:
    if route.name in ADMIN_SITE:
        return route.name
    if route.route == "admin/(?P<url>.*)$":
        return "catch-all"
    match = re.fullmatch(r"admin/(\w+)/(\w+)/(.*)", route.route)
    if match and match.group(3) in ADMIN_VIEWS:
        return f"{match.group(1)}/{match.group(2)} {ADMIN_VIEWS[match.group(3)]}"
    return f"unclassified admin pattern {route.route}"


# -- the world ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at the end;
    every test, and every request in it, runs in its own savepoint on top of it."""
    media = tmp_path_factory.mktemp("sweep-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield build_sweep_world()
        transaction.set_rollback(True)


NEVER_SHOWN = never_shown()

# What a write may change: these tables and their past versions (django-simple-history
# keeps one per save), summed up in one query before and after every write request.
WATCHED = (
    Threat,
    ChokepointTechnology,
    DialogueSession,
    Participant,
    AgendaItem,
    Concern,
    ConcernMessage,
    ConcernAttachment,
    FollowUpAction,
    PlanRevision,
    PlanRevisionItem,
    Organization,
    User,
    Invitation,
    ExportJob,
    Digest,
    ApiToken,
    PortalSubmission,
    Notification,
)
LATEST = {"updated_at", "history_id", "last_login", "revoked_at", "accepted_at", "finished_at"}


@functools.cache
def fingerprint_sql() -> str:
    quote = connection.ops.quote_name
    sums = []  # (aggregate, table): names from the models' metadata only
    for model in WATCHED:
        tables = [model] + ([model.history.model] if keeps_history(model) else [])
        for table in tables:
            columns = {f.column for f in table._meta.concrete_fields}
            name = quote(table._meta.db_table)
            sums.append(("COUNT(*)", name))
            sums += [(f"MAX({quote(c)})", name) for c in sorted(columns & LATEST)]
            if "version" in columns:
                sums.append((f"SUM({quote('version')})", name))
            if "is_active" in columns:
                sums.append((f"SUM(CASE WHEN {quote('is_active')} THEN 1 ELSE 0 END)", name))
    return "SELECT " + ", ".join(f"(SELECT {what} FROM {table})" for what, table in sums)  # noqa: S608


def fingerprint() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(fingerprint_sql())
        return tuple(cursor.fetchone())


# -- requests ----------------------------------------------------------------------------


def browser(world: dict, role: str) -> Client:
    """A browser with the role's session cookie (issued while the user was active)."""
    client = Client()
    client.raise_request_exception = False  # a 500 shows up in the table, its traceback in the log
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    return client


def api_client(world: dict, role: str) -> APIClient:
    """An API client with the role's token (issued while the user was active)."""
    client = APIClient()
    client.raise_request_exception = False
    if role != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Token {world['tokens'][role]}")
    return client


@dataclass
class Answer:
    outcome: int | str
    status: int
    text: str
    response: object


def perform(client, method: str, url: str, data=None, fmt=None, *, api: bool = False) -> Answer:
    """One request in its own savepoint: no other request sees what it wrote."""
    cache.clear()  # throttles and sign-in lock-outs
    # A request may switch the thread's language (the portal's language setting does):
    # switch it back, for the next request and for the tests after this module.
    with translation.override(translation.get_language()), transaction.atomic():
        writes = method != "GET"
        before = fingerprint() if writes else None
        handler = getattr(client, method.lower())
        kwargs = {"format": fmt} if api and fmt else {}
        response = handler(url, data, **kwargs) if data is not None else handler(url)
        text = "" if response.status_code in (301, 302, 303) else body_text(response)
        changed = writes and fingerprint() != before
        transaction.set_rollback(True)
    return Answer(outcome(response, changed=changed, api=api), response.status_code, text, response)


def differences(found: dict, expected: dict) -> list[str]:
    """Where the answers differ from the table, one line each (role or (method, role))."""
    flat_found, flat_expected = _flat(found), _flat(expected)
    return [
        f"{key}: got {flat_found.get(key)!r}, table says {flat_expected.get(key)!r}"
        for key in sorted(set(flat_found) | set(flat_expected), key=str)
        if flat_found.get(key) != flat_expected.get(key)
    ]


def _flat(table: dict) -> dict:
    flat = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update({f"{key} {inner}": result for inner, result in value.items()})
        else:
            flat[str(key)] = value
    return flat


def leaks(role: str, answer: Answer) -> list[tuple[str, str]]:
    return [(role, secret) for secret in NEVER_SHOWN[role] if secret in answer.text]


CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
CSP_NONCE = re.compile(r'nonce="[^"]*"|nonce-[A-Za-z0-9+/=_-]+')


def normalized(answer: Answer, url: str) -> bytes:
    """The body without what differs on every request anyway: tokens and the path."""
    body = answer.response.content.decode("utf-8", errors="replace")
    body = CSRF_VALUE.sub('name="csrfmiddlewaretoken" value=""', body)
    body = CSP_NONCE.sub("nonce", body)
    return body.replace(url, "URL").encode()


# -- pages: URLs and bodies --------------------------------------------------------------

# The record a page's <pk> names, by the longest matching URL-name prefix.
PAGE_RECORDS = {
    "workspace:threat-": "threat_semi",
    "workspace:chokepoint-": "chokepoint_a",
    "workspace:session-": "session_a",
    "workspace:action-": "action_a",
    "workspace:concern-": "concern_a",
    "workspace:digest-": "digest",
    "plans:plan-": "draft",
    "plans:export-job": "done_export",
    "portal:concern-": "concern_a",
    "portal:attachment-": "attachment_a",
    "portal:action-": "action_a",
    "portal:colleague-": "colleague",
    "portal:invitation-revoke": "invitation",
    "portal:token-revoke": "token_a",
    "workspace:token-revoke": "official_token",
}
PAGE_QUERIES = {
    "workspace:search": "?q=:",  # most titles in the world have one: many results of each kind
    "plans:plan-export": "?format=csv",
    "plans:list-export": "?format=csv",
    "set_language": "?next=/sectors/",
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
        elif param == "code":
            kwargs[param] = "no-such-sector" if missing else "semiconductors"
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


def has_record(name: str) -> bool:
    return any(p in ("pk", "code", "reference") for p in page_routes()[name].params)


def page_body(name: str, world: dict) -> dict:
    """A valid form for the page, so that a write the table refuses is a real attempt."""
    semi, users = world["semi"], world["users"]
    official = users["sector_official"]
    threat, chokepoint = world["threat_semi"], world["chokepoint_a"]
    session, action, concern = world["session_a"], world["action_a"], world["concern_a"]
    no_rows = {
        f"{prefix}-{field}": value
        for prefix in ("participants", "agenda", "threats", "actions")
        for field, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
    }
    new_password = {
        "old_password": PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    wrong_password = {"username": "nobody-by-this-name", "password": "wrong-password"}
    forms = {
        "workspace:login": wrong_password,
        "workspace:password-change": new_password,
        "workspace:threat-create": {
            "title": "新規の脅威: 掃引",
            "sector": semi.pk,
            "category": "1-2",
            "likelihood": 3,
            "impact": 3,
            "marking": "AMBER",
        },
        "workspace:threat-edit": {
            "title": "改題した脅威: 掃引",
            "description": threat.description,
            "sector": semi.pk,
            "category": threat.category.code,
            "likelihood": threat.likelihood,
            "impact": threat.impact,
            "marking": threat.marking,
            "source_session": threat.source_session_id,
            "source_concern": threat.source_concern_id,
            "chokepoints": list(threat.chokepoints.values_list("pk", flat=True)),
            "version": threat.version,
        },
        "workspace:threat-status": {"status": "monitoring", "version": threat.version},
        "workspace:chokepoint-create": {
            "name": "新規のチョークポイント: 掃引",
            "sector": semi.pk,
            "stage": "upstream",
            "outflow_concern": ConcernLevel.MEDIUM,
            "marking": "AMBER",
        },
        "workspace:chokepoint-edit": {
            "name": "改名したチョークポイント: 掃引",
            "description": chokepoint.description,
            "sector": semi.pk,
            "stage": chokepoint.stage,
            "holders": chokepoint.holders,
            "holder_organizations": [world["org_a"].pk],
            "outflow_concern": chokepoint.outflow_concern,
            "marking": chokepoint.marking,
            "version": chokepoint.version,
        },
        "workspace:session-create": {
            "title": "新規の対話: 掃引",
            "sectors": [semi.pk],
            "held_on": "2030-01-15",
            "format": "company_hearing",
            "marking": "AMBER",
            **no_rows,
        },
        "workspace:session-edit": {
            "title": "改題した対話: 掃引",
            "sectors": [semi.pk],
            "held_on": session.held_on.isoformat(),
            "format": session.format,
            "marking": session.marking,
            "minutes": session.minutes,
            "participating_organizations": [world["org_a"].pk],
            "version": session.version,
            **no_rows,
        },
        "workspace:session-status": {"status": "held", "version": session.version},
        "workspace:action-create": {
            "title": "新規のアクション: 掃引",
            "sector": semi.pk,
            "owner": official.pk,
            "due_on": "2030-01-31",
            "pillar": "protection",
            "priority": "medium",
            "marking": "AMBER",
        },
        "workspace:action-bulk-status": {"selected": [action.pk], "status": "in_progress"},
        "workspace:action-status": {"status": "in_progress", "version": action.version},
        "workspace:concern-assign": {"assigned_to": official.pk, "version": concern.version},
        "workspace:concern-message": {"body": "確認しました。", "visibility": "reply"},
        "workspace:concern-status": {"status": "triaged", "version": concern.version},
        "workspace:concern-link-threat": {"threat": world["threat_unlinked"].pk},
        "workspace:digest-preferences": {"digest_frequency": "monthly"},
        "plans:plan-start": {"notes": "次の版"},
        "portal:login": wrong_password,
        "portal:account": {"language": "en"},
        "portal:password-change": new_password,
        "portal:password-reset": {"email": users["company_a"].email},
        "portal:concern-create": {
            "sector": semi.pk,
            "category": ThreatCategory.objects.get(code="2-2").pk,
            "title": "新規の懸念: 掃引",
            "description": "取引先から確認を求められています。",
            "desired_support": "information",
            "marking": "AMBER+STRICT",
            "submission_key": str(uuid.uuid4()),
        },
        "portal:concern-reply": {"body": "追記します。", "submission_key": str(uuid.uuid4())},
        "portal:concern-withdraw": {"version": concern.version},
        "portal:action-status": {"status": "in_progress", "version": action.version},
        "portal:colleague-invite": {"email": "atarashii@arupa.example.jp", "language": "ja"},
        "set_language": {"language": "en", "next": "/sectors/"},
        "admin:login": wrong_password,
    }
    return {key: value for key, value in forms.get(name, {}).items() if value is not None}


# -- the API: URLs -----------------------------------------------------------------------

# First path segment → the record whose id fills {id}.
API_RECORDS = {
    "actions": "action_a",
    "auth": "token_a",
    "chokepoints": "chokepoint_a",
    "concerns": "concern_a",
    "export-jobs": "done_export",
    "organizations": "org_a",
    "plan-revisions": "draft",
    "sectors": "semi",
    "sessions": "session_a",
    "threats": "threat_semi",
}
API_QUERIES = {
    "/api/v1/plan-revisions/{id}/export/": "?format=csv",
    "/api/v1/threats/export/": "?format=csv",
    "/api/v1/actions/export/": "?format=csv",
    "/api/v1/chokepoints/export/": "?format=csv",
}


def api_url(path: str, world: dict, role: str | None = None, *, missing: bool = False) -> str:
    resource = path.removeprefix("/api/v1/").split("/")[0]
    by_reference = role in COMPANY_ROLES  # company users name concerns by their number

    def value(match: re.Match) -> str:
        name = match.group(1)
        is_concern = name == "concern_pk" or (
            name == "id" and resource == "concerns" and "/attachments/" not in path
        )
        if name == "code":
            return "9-9" if missing else "1-2"
        if missing:
            return MISSING_REFERENCE if is_concern and by_reference else str(MISSING_ID)
        if is_concern:
            concern = world["concern_a"]
            return concern.reference if by_reference else str(concern.pk)
        if name == "id" and "/attachments/" in path:
            return str(world["attachment_a"].pk)
        if name == "id" and resource in API_RECORDS:
            return str(world[API_RECORDS[resource]].pk)
        raise AssertionError(f"no value for {{{name}}} in {path}: extend api_url()")

    return re.sub(r"\{(\w+)\}", value, path) + API_QUERIES.get(path, "")


def route_of(path: str) -> str:
    """The URL pattern an operation's path resolves to."""
    sample = re.sub(r"\{(\w+)\}", lambda m: "1-2" if m.group(1) == "code" else "1", path)
    return resolve(sample).route


def with_format_suffix(route: str) -> str:
    """The router's variant of a pattern that takes a format suffix (`.json`)."""
    return route.removesuffix("/$") + FORMAT_SUFFIX


# -- completeness ------------------------------------------------------------------------


def test_every_url_pattern_has_a_row_and_every_row_a_url_pattern():
    pages = set(page_routes())
    assert sorted(pages - set(PAGES)) == [], "URL patterns without a row in PAGES"
    assert sorted(set(PAGES) - pages) == [], "rows in PAGES for URL patterns that are gone"

    operations = schema_operations()
    assert sorted(operations - set(API)) == [], "API operations without a row in API"
    assert sorted(set(API) - operations) == [], "rows in API for operations that are gone"
    covered = {route_of(path) for _method, path in operations}
    covered |= {with_format_suffix(route) for route in covered}
    uncovered = [r.route for r in api_routes() if r.route not in covered]
    assert uncovered == [], "API URL patterns that no schema operation reaches"

    keys = set(admin_routes())
    unclassified = sorted(k for k in keys if k.startswith("unclassified"))
    assert unclassified == [], "admin URL patterns the admin rules do not recognize"
    models = {key.split(" ")[0] for key in keys if " " in key}
    registered = {f"{m._meta.app_label}/{m._meta.model_name}" for m in admin.site._registry}
    assert models == registered
    assert sorted(models - set(ADMIN_MODELS)) == [], "admin models without a row"
    assert sorted(set(ADMIN_MODELS) - models) == [], "rows in ADMIN_MODELS for models that are gone"
    assert sorted(set(ADMIN_SITE) - keys) == [], "rows in ADMIN_SITE for views that are gone"

    for table in (PAGES, ADMIN_SITE):
        for name, methods in table.items():
            assert set(methods) == {"GET", "POST"}, name
            assert all(set(result) == set(ROLES) for result in methods.values()), name
    assert all(set(result) == set(ROLES) for result in API.values())


# -- the sweep: pages --------------------------------------------------------------------

ALL_PAGES = sorted(set(page_routes()) | set(PAGES))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ALL_PAGES)
def test_page_answers_each_role_as_the_table_says(world, name):
    assert name in page_routes(), "stale row in PAGES"
    assert name in PAGES, "new URL pattern: add its row to PAGES"

    found, problems = {}, []
    for method in ("GET", "POST"):
        for role in ROLES:
            url = page_url(name, world, role)
            data = page_body(name, world) if method == "POST" else None
            answer = perform(browser(world, role), method, url, data)
            found.setdefault(method, {})[role] = answer.outcome
            problems += leaks(role, answer)
            if answer.status == 404 and has_record(name):
                problems += differs_from_missing(world, name, role, method, url, data, answer)
    assert not differences(found, PAGES[name]), differences(found, PAGES[name])
    assert not problems, problems


def differs_from_missing(world, name, role, method, url, data, answer) -> list:
    missing_url = page_url(name, world, role, missing=True)
    missing = perform(browser(world, role), method, missing_url, data)
    if missing.status != 404 or normalized(answer, url) != normalized(missing, missing_url):
        return [(role, method, "404 differs from the one for a missing id")]
    return []


# -- the sweep: API ----------------------------------------------------------------------

ALL_OPERATIONS = sorted(schema_operations() | set(API))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"), ALL_OPERATIONS, ids=[f"{m} {p}" for m, p in ALL_OPERATIONS]
)
def test_api_operation_answers_each_role_as_the_table_says(world, method, path):
    assert (method, path) in schema_operations(), "stale row in API"
    assert (method, path) in API, "new operation: add its row to API"

    found, problems = {}, []
    for role in ROLES:
        user = world["users"].get(role)
        data, fmt = api_bodies(world, user).get((method, path), (None, None))
        url = api_url(path, world, role)
        answer = perform(api_client(world, role), method, url, data, fmt, api=True)
        found[role] = answer.outcome
        problems += leaks(role, answer)
        if answer.status == 404:
            missing = perform(
                api_client(world, role), method, api_url(path, world, role, missing=True), data, fmt
            )
            if (missing.status, missing.response.content) != (404, answer.response.content):
                problems.append((role, "404 differs from the one for a missing id"))
    assert not differences(found, API[(method, path)]), differences(found, API[(method, path)])
    assert not problems, problems


GET_WITH_SUFFIX = sorted(
    path
    for method, path in schema_operations()
    if method == "GET" and with_format_suffix(route_of(path)) in {r.route for r in api_routes()}
)


@pytest.mark.django_db
@pytest.mark.parametrize("path", GET_WITH_SUFFIX)
def test_json_suffix_answers_like_the_path_it_extends(world, path):
    found, problems = {}, []
    for role in ROLES:
        base, _, query = api_url(path, world, role).partition("?")
        url = base.removesuffix("/") + ".json" + (f"?{query}" if query else "")
        answer = perform(api_client(world, role), "GET", url, api=True)
        found[role] = answer.outcome
        problems += leaks(role, answer)
    assert not differences(found, API[("GET", path)]), differences(found, API[("GET", path)])
    assert not problems, problems


# -- the sweep: admin --------------------------------------------------------------------


def admin_expected(key: str) -> dict[str, dict]:
    if key in ADMIN_SITE:
        return ADMIN_SITE[key]
    model, view = key.split(" ")
    return admin_model_rows(model, view)


def admin_target(world: dict, model: str):
    record = ADMIN_MODELS[model].record
    if record is None:
        return world["admin_objects"][model]
    return world["users"].get(record) or world[record]


def admin_url(world: dict, key: str) -> str:
    if key == "catch-all":
        return "/admin/no-such-page/"
    if key == "admin:app_list":
        return reverse(key, kwargs={"app_label": "dialogue"})
    if key == "admin:view_on_site":
        kind = ContentType.objects.get_for_model(Concern)
        return reverse(key, args=[kind.pk, world["concern_a"].pk])
    if key in ADMIN_SITE:
        return reverse(key)
    model, view = key.split(" ")
    app_label, model_name = model.split("/")
    target = admin_target(world, model)
    prefix = f"admin:{app_label}_{model_name}"
    if view in ("changelist", "add"):
        return reverse(f"{prefix}_{view}")
    if view == "redirect":
        return reverse(f"{prefix}_change", args=[target.pk]).removesuffix("change/")
    if view == "version":
        model = type(target)
        if not keeps_history(model):
            return reverse(f"{prefix}_simple_history", args=[target.pk, 1])
        versions = model.history.filter(**{model._meta.pk.attname: target.pk})
        return reverse(f"{prefix}_simple_history", args=[target.pk, versions.latest().history_id])
    if view == "password":
        return reverse("admin:auth_user_password_change", args=[target.pk])
    return reverse(f"{prefix}_{view}", args=[target.pk])


def admin_body(world: dict, key: str) -> dict:
    """What a POST sends: a wrong password to sign in; on a list, the bulk action that
    deletes the record (offered only to those allowed to delete); otherwise nothing."""
    if key == "admin:login":
        return page_body("admin:login", world)
    if key.endswith(" changelist"):
        target = admin_target(world, key.split(" ")[0])
        return {
            "action": "delete_selected",
            "_selected_action": [str(target.pk)],
            "index": "0",
            "post": "yes",
        }
    return {}


ALL_ADMIN = sorted(set(admin_routes()) | set(ADMIN_SITE))


@pytest.mark.django_db
@pytest.mark.parametrize("key", ALL_ADMIN)
def test_admin_answers_each_role_by_the_admin_rules(world, key):
    assert key in admin_routes(), "stale row in ADMIN_SITE"
    assert not key.startswith("unclassified"), "an admin URL pattern the rules do not know"

    found, problems = {}, []
    url = admin_url(world, key)
    data = admin_body(world, key)
    for method in ("GET", "POST"):
        for role in ROLES:
            answer = perform(browser(world, role), method, url, data if method == "POST" else None)
            found.setdefault(method, {})[role] = answer.outcome
            problems += leaks(role, answer)
    assert not differences(found, admin_expected(key)), differences(found, admin_expected(key))
    assert not problems, problems


# -- markings: RED for the named people, AMBER+STRICT for the organization ---------------

MARKED = {
    # world key: (kind, title, the roles that may see it)
    "red_threat": ("threat", RED["threat"], RED_NAMED["threat"]),
    "red_session": ("session", RED["session"], RED_NAMED["session"]),
    "red_action": ("action", RED["action"], RED_NAMED["action"]),
    "red_concern": ("concern", RED["concern"], RED_NAMED["concern"]),
    "concern_a": ("concern", STRICT["concern"], STRICT_SEES["concern"]),
    "strict_session": ("session", STRICT["session"], STRICT_SEES["session"]),
}
DETAIL = {
    "threat": ("workspace:threat-detail", None, "threats", "dialogue_threat"),
    "session": ("workspace:session-detail", None, "sessions", "dialogue_dialoguesession"),
    "action": (
        "workspace:action-detail",
        "portal:action-detail",
        "actions",
        "dialogue_followupaction",
    ),
    "concern": (
        "workspace:concern-detail",
        "portal:concern-detail",
        "concerns",
        "dialogue_concern",
    ),
}
COMPANY_ROLES = {"company_a", "company_a_admin", "company_b"}


def expected_detail(surface: str, role: str, sees: bool) -> int | str:
    shown = 200 if sees else 404
    if role in ("anonymous", "deactivated"):
        return {"workspace": LOGIN, "portal": PORTAL_LOGIN, "api": 401, "admin": ADMIN_LOGIN}[
            surface
        ]
    if surface == "workspace":
        return PORTAL if role in COMPANY_ROLES else shown
    if surface == "portal":
        return shown if role in COMPANY_ROLES else WORKSPACE
    if surface == "admin":
        return (200 if sees else ADMIN_INDEX) if role in STAFF else ADMIN_LOGIN
    return shown


@pytest.mark.django_db
@pytest.mark.parametrize("item", sorted(MARKED))
def test_marked_item_detail_is_shown_only_to_who_may_see_it(world, item):
    kind, _title, sees = MARKED[item]
    record = world[item]
    workspace_name, portal_name, api_resource, admin_prefix = DETAIL[kind]
    urls = {
        "workspace": reverse(workspace_name, args=[record.pk]),
        "api": f"/api/v1/{api_resource}/{record.pk}/",
        "admin": reverse(f"admin:{admin_prefix}_change", args=[record.pk]),
    }
    if portal_name:
        # The portal names a concern by its organization's reference number.
        urls["portal"] = reverse(portal_name, args=[getattr(record, "reference", record.pk)])
    found, expected, problems = {}, {}, []
    for role in ROLES:
        for surface, url in urls.items():
            if surface == "api" and kind == "concern" and role in COMPANY_ROLES:
                url = f"/api/v1/{api_resource}/{record.reference}/"
            client = api_client(world, role) if surface == "api" else browser(world, role)
            answer = perform(client, "GET", url, api=surface == "api")
            found[(role, surface)] = answer.outcome
            expected[(role, surface)] = expected_detail(surface, role, role in sees)
            problems += leaks(role, answer)
    assert not differences(found, expected), differences(found, expected)
    assert not problems, problems


# Lists of each kind, and who can open them at all.
LISTS = {
    "threat": ["/threats/", "/api/v1/threats/", "/admin/dialogue/threat/"],
    "session": ["/sessions/", "/api/v1/sessions/", "/admin/dialogue/dialoguesession/"],
    "action": ["/actions/", "/api/v1/actions/", "/admin/dialogue/followupaction/"],
    "concern": [
        "/concerns/",
        "/portal/concerns/",
        "/portal/",
        "/api/v1/concerns/",
        "/admin/dialogue/concern/",
    ],
}


def opens(role: str, url: str) -> bool:
    if role in ("anonymous", "deactivated"):
        return False
    if url.startswith("/portal/"):
        return role in COMPANY_ROLES
    if url.startswith("/api/"):
        return True
    return role in STAFF  # the workspace and the admin


@pytest.mark.django_db
@pytest.mark.parametrize("item", sorted(MARKED))
def test_marked_item_is_listed_only_for_who_may_see_it(world, item):
    kind, title, sees = MARKED[item]
    # The search page repeats the words searched for: search for the end of the title only.
    lists = [*LISTS[kind], "/search/?q=" + title[-6:]]
    found, expected = {}, {}
    for role in ROLES:
        for url in lists:
            if not opens(role, url):
                continue
            client = api_client(world, role) if url.startswith("/api/") else browser(world, role)
            answer = perform(client, "GET", url, api=url.startswith("/api/"))
            assert answer.status == 200, (role, url, answer.outcome)
            found[(role, url)] = title in answer.text
            expected[(role, url)] = role in sees
    assert not differences(found, expected), differences(found, expected)
    assert any(expected.values()), "nobody sees the item: the check would pass for any list"


# -- a deactivated user's session and token ----------------------------------------------


@pytest.mark.django_db
def test_the_deactivated_user_had_a_working_session_and_token(world):
    # given: the session and token the sweep uses for the deactivated user
    user = world["users"]["deactivated"]
    assert not user.is_active
    # when: the same user is active again
    User.objects.filter(pk=user.pk).update(is_active=True)
    # then: the very same cookie and token open the portal and the API
    assert perform(browser(world, "deactivated"), "GET", "/portal/").status == 200
    assert perform(api_client(world, "deactivated"), "GET", "/api/v1/me/").status == 200


# -- the admin's past versions: reading them is not changing them ------------------------


def revert_form(threat: Threat) -> dict:
    """A complete, valid form of the threat's admin page, with a new title."""
    return {
        "title": "書き換えられた脅威: 掃引",
        "description": threat.description,
        "sector": threat.sector_id,
        "category": threat.category_id,
        "likelihood": threat.likelihood,
        "impact": threat.impact,
        "status": threat.status,
        "marking": threat.marking,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "target", "refused"),
    [
        # may read the GREEN threat in the admin, may not change it
        ("other_sector_official", "threat_green", 403),
        ("sector_official", "threat_green", 403),
        # may not even read the AMBER threat of semiconductors
        ("other_sector_official", "threat_semi", ADMIN_INDEX),
    ],
)
def test_an_official_cannot_revert_a_threat_through_its_past_versions(world, role, target, refused):
    # given: an official without permission to change threats in the admin
    threat = world[target]
    version = Threat.history.filter(id=threat.pk).latest().history_id
    url = reverse("admin:dialogue_threat_simple_history", args=[threat.pk, version])
    # when: they post the past version's form, as its "revert" button would
    answer = perform(browser(world, role), "POST", url, revert_form(threat))
    # then: refused, and the threat is as it was
    assert answer.outcome == refused
    assert Threat.objects.get(pk=threat.pk).title == threat.title
