"""App-wide access sweep: every URL pattern of the project outside the API × every role
(STYLE.md, Tests). The API's operations have their own table, the permission matrix
(tests/api/test_permission_matrix.py), over the same world and roles.

The URL patterns come from Django's resolver (officials' workspace, plans and exports,
the company portal, the admin, auth pages, i18n, health check, calendar feed, API schema
and docs). Each is called by each role with its path filled with company A's /
semiconductors' records, and the answer must be the one in the tables below:

- `PAGES`: one row per named URL outside the API and the admin;
- `ADMIN_SITE` and `ADMIN_MODELS`: the admin by rule — who gets in at all, then per
  registered model which officials may see the record its URLs are filled with.

A URL pattern without a row fails, and so does a row that names none.

Every body (2xx, and error pages too) is searched for what the caller must never see (the other company's
name, number, people and concerns; another sector's AMBER items; RED items the caller
is not named on; internal notes). A 404 for a record the caller may not see must be the
very answer a missing id gets. Writes run in a savepoint that is rolled back, so no
case sees another's; a write answered with a refusal must leave the records as they were,
and a write the table expects to succeed (DONE) must really change them.
"""

from __future__ import annotations

import re
import uuid
from typing import NamedTuple

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from dialogue.enums import ConcernLevel
from dialogue.models import Concern, Threat, ThreatCategory, User
from tests.support.auth import PASSWORD
from tests.support.pages import page_url
from tests.support.routes import Route, page_routes, project_routes
from tests.support.sweep import (
    ADMIN_INDEX,
    ADMIN_LOGIN,
    DONE,
    LOGIN,
    PORTAL,
    PORTAL_LOGIN,
    REDIRECT,
    WORKSPACE,
    api_client,
    browser,
    differences,
    keeps_history,
    leaks,
    normalized,
    perform,
)
from tests.support.worlds.access import (
    FORUM_SEES,
    FORUM_SESSION,
    RED,
    RED_NAMED,
    ROLES,
    STRICT,
    STRICT_SEES,
)

NEW_PASSWORD = "Sweep-kakunin-2030"


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
    # Dependencies: semiconductors' AMBER figure (product × China), linked to A's concern.
    "workspace:dependency-list": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:dependency-create": rows(officials(200, 200, 200), officials(DONE, 200, DONE)),
    "workspace:dependency-detail": rows(officials(200, 404, 200), officials(200, 404, 200)),
    "workspace:dependency-edit": rows(officials(200, 404, 200), officials(DONE, 404, DONE)),
    # A dry run changes nothing (no file: the form comes back).
    "workspace:dependency-import": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:tracker-import": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:dependency-map": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:dependency-map-svg": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:dependency-chart": rows(officials(200, 404, 200), officials(200, 404, 200)),
    "workspace:dependency-chart-svg": rows(officials(200, 404, 200), officials(200, 404, 200)),
    "workspace:session-list": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:session-create": rows(officials(200, 200, 200), officials(DONE, 200, DONE)),
    "workspace:session-detail": rows(officials(200, 404, 200), officials(200, 404, 200)),
    "workspace:session-edit": rows(officials(200, 404, 200), officials(DONE, 404, DONE)),
    "workspace:session-status": rows(officials(405, 405, 405), officials(DONE, 404, DONE)),
    # Forums are reference data for every official; each page lists what its reader may see.
    "workspace:forum-list": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:forum-detail": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:action-list": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:action-create": rows(officials(200, 200, 200), officials(DONE, 200, DONE)),
    # The batteries official's selection holds no action they may see: nothing moves.
    "workspace:action-bulk-status": rows(officials(405, 405, 405), officials(DONE, REDIRECT, DONE)),
    "workspace:action-detail": rows(officials(200, 404, 200), officials(200, 404, 200)),
    # A GET goes back to the action's page.
    "workspace:action-edit": rows(officials(200, 404, 200), officials(DONE, 404, DONE)),
    "workspace:action-status": rows(officials(REDIRECT, 404, REDIRECT), officials(DONE, 404, DONE)),
    "workspace:concern-list": rows(officials(200, 200, 200), officials(200, 200, 200)),
    "workspace:concern-detail": rows(officials(200, 404, 200), officials(200, 404, 200)),
    "workspace:concern-assign": rows(officials(405, 405, 405), officials(DONE, 404, DONE)),
    "workspace:concern-message": rows(officials(405, 405, 405), officials(DONE, 404, DONE)),
    "workspace:concern-status": rows(officials(405, 405, 405), officials(DONE, 404, DONE)),
    "workspace:concern-link-threat": rows(officials(405, 405, 405), officials(DONE, 404, DONE)),
    # Notices: every official reads the GREEN ones; officials write for their own sectors
    # (the batteries official's form offers no semiconductors: it comes back, 400).
    "workspace:notice-list": rows(officials(200, 200, 200), officials(405, 405, 405)),
    "workspace:notice-create": rows(officials(200, 200, 200), officials(DONE, 400, DONE)),
    "workspace:notice-detail": rows(officials(200, 200, 200), officials(405, 405, 405)),
    "workspace:notice-edit": rows(officials(200, 403, 200), officials(DONE, 403, DONE)),
    "workspace:notice-publish": rows(officials(200, 403, 200), officials(DONE, 403, DONE)),
    "workspace:notice-withdraw": rows(officials(405, 405, 405), officials(DONE, 403, DONE)),
    "workspace:notice-reach": rows(officials(200, 200, 200), officials(405, 405, 405)),
    "workspace:concern-measures": rows(officials(405, 405, 405), officials(DONE, 404, DONE)),
    "workspace:concern-refer": rows(officials(405, 405, 405), officials(DONE, 404, DONE)),
    "workspace:referral-status": rows(officials(405, 405, 405), officials(DONE, 404, DONE)),
    # The support catalogue: every official reads it, the secretariat keeps it.
    "workspace:support-catalogue": rows(officials(200, 200, 200), officials(405, 405, 405)),
    "workspace:support-organization-detail": rows(
        officials(200, 200, 200), officials(405, 405, 405)
    ),
    "workspace:support-organization-create": rows(
        officials(403, 403, 200), officials(403, 403, DONE)
    ),
    "workspace:support-organization-edit": rows(
        officials(403, 403, 200), officials(403, 403, DONE)
    ),
    "workspace:support-scheme-detail": rows(officials(200, 200, 200), officials(405, 405, 405)),
    "workspace:support-scheme-create": rows(officials(403, 403, 200), officials(403, 403, DONE)),
    "workspace:support-scheme-edit": rows(officials(403, 403, 200), officials(403, 403, DONE)),
    "workspace:calendar": rows(officials(200, 200, 200), officials(200, 200, 200)),
    # Saved filters: each official saves their own; the one in the world is the
    # semiconductors official's, and nobody else may delete it (404, as if absent).
    "workspace:saved-filter-create": rows(officials(405, 405, 405), officials(DONE, DONE, DONE)),
    "workspace:saved-filter-delete": rows(officials(405, 405, 405), officials(DONE, 404, 404)),
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
    # GET asks first (a confirmation page), POST does it.
    "plans:plan-publish": rows(officials(403, 403, 200), officials(403, 403, DONE)),
    "plans:plan-delete": rows(officials(403, 403, 200), officials(403, 403, DONE)),
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
    # Only the concern's own organization answers a referral proposed on it.
    "portal:referral-answer": rows(companies(200, 200, 404), companies(DONE, DONE, 404)),
    "portal:support-finder": rows(companies(200, 200, 200), companies(405, 405, 405)),
    "portal:attachment-download": rows(companies(200, 200, 404), companies(405, 405, 405)),
    "portal:action-list": rows(companies(200, 200, 200), companies(405, 405, 405)),
    "portal:action-detail": rows(companies(200, 200, 404), companies(405, 405, 405)),
    # Only the action's owner (the company A user) moves it on.
    "portal:action-status": rows(companies(405, 405, 405), companies(DONE, 403, 404)),
    "portal:guidance": rows(companies(200, 200, 200), companies(405, 405, 405)),
    # The notice goes to the large semiconductor companies: A, not B (an SME).
    "portal:notice-list": rows(companies(200, 200, 200), companies(405, 405, 405)),
    "portal:notice-detail": rows(companies(200, 200, 404), companies(405, 405, 405)),
    "portal:best-practice-list": rows(companies(200, 200, 200), companies(405, 405, 405)),
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
    # Any other address under /api/: the API's JSON 404, to every method.
    "api-not-found": rows(everyone(404), everyone(404)),
}

# API operations of the schema: (method, path) → outcome per role.
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
    "dialogue/forum": AdminModel("read", "forum", ALL_OFFICIALS),
    "dialogue/user": AdminModel("read", "company_a", ALL_OFFICIALS),
    "dialogue/participant": AdminModel("read", "participant_a", SEMI_AND_SECRETARIAT),
    "dialogue/agendaitem": AdminModel("read", "agenda_item_a", SEMI_AND_SECRETARIAT),
    "dialogue/dialoguesession": AdminModel("read", "session_a", SEMI_AND_SECRETARIAT),
    # The GREEN threat every official may read; it links to A's concern and AMBER records.
    "dialogue/threat": AdminModel("read", "threat_green", ALL_OFFICIALS),
    "dialogue/chokepointtechnology": AdminModel("read", "chokepoint_a", SEMI_AND_SECRETARIAT),
    "dialogue/dependency": AdminModel("read", "dependency_semi", SEMI_AND_SECRETARIAT),
    "dialogue/concern": AdminModel("read", "concern_a", SEMI_AND_SECRETARIAT),
    "dialogue/concernmessage": AdminModel("read", "internal_note", SEMI_AND_SECRETARIAT),
    "dialogue/concernattachment": AdminModel("read", "attachment_a", SEMI_AND_SECRETARIAT),
    "dialogue/followupaction": AdminModel("read", "action_a", SEMI_AND_SECRETARIAT),
    # Plan revisions: every official (their lines as far as each may see them).
    "dialogue/planrevision": AdminModel("read", "draft", ALL_OFFICIALS),
    # Operations ledgers: the secretariat; a digest and an export job: their owner.
    "dialogue/reminder": AdminModel("read", "reminder_a", {"secretariat"}),
    "dialogue/supportorganization": AdminModel("read", "support_organization", ALL_OFFICIALS),
    "dialogue/supportscheme": AdminModel("read", "support_scheme", ALL_OFFICIALS),
    "dialogue/referral": AdminModel("read", "referral_a", SEMI_AND_SECRETARIAT),
    "dialogue/replytemplate": AdminModel("read", "reply_template", ALL_OFFICIALS),
    "dialogue/referralreminder": AdminModel("read", "referral_reminder_a", {"secretariat"}),
    "dialogue/notification": AdminModel("read", "notification_a", {"secretariat"}),
    "dialogue/chokepointreviewreminder": AdminModel("read", "review_reminder_a", {"secretariat"}),
    "dialogue/jobrun": AdminModel("read", "job_run", {"secretariat"}),
    "dialogue/digest": AdminModel("read", "digest", {"sector_official"}),
    "dialogue/exportjob": AdminModel("read", "done_export", {"sector_official"}),
    "dialogue/invitation": AdminModel("invite", "invitation", ALL_OFFICIALS),
    # The GREEN notice every official may read, and company A's receipt of it; its e-mail
    # ledger row is for the secretariat.
    "dialogue/notice": AdminModel("read", "notice", ALL_OFFICIALS),
    "dialogue/noticeread": AdminModel("read", "notice_read", ALL_OFFICIALS),
    "dialogue/noticemail": AdminModel("read", "notice_mail", {"secretariat"}),
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
def world(access_world):
    """The access world (tests/conftest.py)."""
    return access_world


# -- pages: URLs and bodies --------------------------------------------------------------


def has_record(name: str) -> bool:
    return any(p in ("pk", "code", "reference") for p in page_routes()[name].params)


def page_body(name: str, world: dict) -> dict:
    """A valid form for the page, so that a write the table refuses is a real attempt."""
    semi, users = world["semi"], world["users"]
    official = users["sector_official"]
    threat, chokepoint = world["threat_semi"], world["chokepoint_a"]
    session, action, concern = world["session_a"], world["action_a"], world["concern_a"]
    dependency = world["dependency_semi"]
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
        "workspace:saved-filter-create": {
            "list_name": "workspace:threat-list",
            "name": "掃引の絞り込み",
            "query": "sector=semiconductors",
        },
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
            "process_stage": "extraction",
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
            "process_stage": chokepoint.process_stage,
            "marking": chokepoint.marking,
            "version": chokepoint.version,
        },
        "workspace:dependency-create": {
            "product": "新規の依存: 掃引",
            "sector": semi.pk,
            "stage": "upstream",
            "country": "TW",
            "share_pct": "12.5",
            "basis": "japan_imports",
            "year": 2023,
            "source": "掃引",
            "precision": "statistics",
            "marking": "AMBER",
        },
        "workspace:dependency-edit": {
            "product": "改名した依存: 掃引",
            "hs_code": dependency.hs_code,
            "sector": semi.pk,
            "stage": dependency.stage,
            "country": dependency.country,
            "share_pct": str(dependency.share_pct),
            "basis": dependency.basis,
            "year": dependency.year,
            "source": dependency.source,
            "precision": dependency.precision,
            "threats": list(dependency.threats.values_list("pk", flat=True)),
            "concerns": list(dependency.concerns.values_list("pk", flat=True)),
            "chokepoints": list(dependency.chokepoints.values_list("pk", flat=True)),
            "marking": dependency.marking,
            "version": dependency.version,
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
        "workspace:action-edit": {
            name: value
            for name, value in {
                "title": "改題したアクション: 掃引",
                "description": action.description,
                "sector": action.sector_id,
                "owner": action.owner_id,
                "due_on": action.due_on.isoformat(),
                "pillar": action.pillar,
                "priority": action.priority,
                "marking": action.marking,
                "session": action.session_id,
                "threat": action.threat_id,
                "concern": action.concern_id,
                "version": action.version,
            }.items()
            if value is not None
        },
        "workspace:action-status": {"status": "in_progress", "version": action.version},
        "workspace:concern-assign": {"assigned_to": official.pk, "version": concern.version},
        "workspace:concern-message": {"body": "確認しました。", "visibility": "reply"},
        "workspace:concern-status": {"status": "triaged", "version": concern.version},
        "workspace:concern-link-threat": {"threat": world["threat_unlinked"].pk},
        "workspace:concern-measures": {"foreign_measures": [world["foreign_measure"].pk]},
        "workspace:concern-refer": {
            "schemes": [world["support_scheme"].pk],
            "note": "貿易保険の活用をご検討ください。",
        },
        "workspace:referral-status": {
            "r1-status": "declined",
            "r1-note": "今回は見送り",
            "r1-version": world["referral_a"].version,
        },
        "workspace:support-organization-create": catalogue_entry(world, "支援機関: 掃引"),
        "workspace:support-organization-edit": catalogue_entry(world, "改名した支援機関: 掃引")
        | {"version": world["support_organization"].version},
        "workspace:support-scheme-create": catalogue_entry(world, "支援策: 掃引")
        | {"organization": world["support_organization"].pk},
        "workspace:support-scheme-edit": catalogue_entry(world, "改名した支援策: 掃引")
        | {
            "organization": world["support_organization"].pk,
            "version": world["support_scheme"].version,
        },
        "workspace:digest-preferences": {"digest_frequency": "monthly"},
        "workspace:notice-create": notice_form(semi, title="新規の周知: 掃引"),
        "workspace:notice-edit": notice_form(
            semi, title="下書きの修正: 掃引", version=world["notice_draft"].version
        ),
        "workspace:notice-publish": {"version": world["notice_draft"].version},
        "workspace:notice-withdraw": {"version": world["notice"].version, "confirmed": "yes"},
        "workspace:token-revoke": {"confirmed": "yes"},
        "portal:token-revoke": {"confirmed": "yes"},
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
        "portal:referral-answer": {"answer": "consent", "version": world["referral_a"].version},
        "portal:colleague-invite": {"email": "atarashii@arupa.example.jp", "language": "ja"},
        "set_language": {"language": "en", "next": "/sectors/"},
        "admin:login": wrong_password,
    }
    return {key: value for key, value in forms.get(name, {}).items() if value is not None}


def notice_form(sector, *, title: str, version: int | None = None) -> dict:
    form = {
        "kind": "compliance_rule",
        "title_ja": title,
        "title_en": "A notice",
        "body_ja": "本文",
        "body_en": "Text",
        "audience": "companies",
        "sectors": [sector.pk],
        "size_classes": ["large", "sme"],
        "marking": "GREEN",
        "publish_on": "2030-01-15",
    }
    return {**form, "version": version} if version else form


def catalogue_entry(world: dict, name: str) -> dict:
    """A valid support catalogue form (organization or scheme)."""
    return {
        "abbreviation": "SWP",
        "name_ja": name,
        "name_en": "Sweep",
        "description_ja": "掃引用の支援内容",
        "description_en": "What the sweep offers",
        "threat_categories": [ThreatCategory.objects.get(code="3-1").pk],
        "sectors": [world["semi"].pk],
        "company_sizes": ["sme"],
        "support_kinds": ["finance"],
        "contact": "https://example.jp/",
        "is_active": "on",
    }


# -- completeness ------------------------------------------------------------------------


def test_every_url_pattern_has_a_row_and_every_row_a_url_pattern():
    pages = set(page_routes())
    assert sorted(pages - set(PAGES)) == [], "URL patterns without a row in PAGES"
    assert sorted(set(PAGES) - pages) == [], "rows in PAGES for URL patterns that are gone"

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
    "forum_session": ("session", FORUM_SESSION, FORUM_SEES),
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
