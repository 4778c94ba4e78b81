"""Requests of the role-by-role sweeps over the access world (worlds/access.py): each role's
browser and API client, one request in a rolled-back savepoint with what it saved, and its
outcome in the words of the tables (a status, or where a redirect went).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from dialogue.models import (
    AgendaItem,
    ApiToken,
    ChokepointTechnology,
    Concern,
    ConcernAttachment,
    ConcernMessage,
    Dependency,
    DialogueSession,
    Digest,
    ExportJob,
    FollowUpAction,
    Invitation,
    Notice,
    NoticeRead,
    Notification,
    Organization,
    Participant,
    PlanRevision,
    PlanRevisionItem,
    PortalSubmission,
    Referral,
    ReferralReminder,
    SavedFilter,
    SupportOrganization,
    SupportScheme,
    Threat,
    User,
)
from tests.support.worlds.access import never_shown

MISSING_ID = 987654
MISSING_REFERENCE = "2099-9876"

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


def keeps_history(model) -> bool:
    """Whether django-simple-history keeps the model's past versions."""
    return hasattr(model._meta, "simple_history_manager_attribute")


# -- what a write changed ----------------------------------------------------------------

# What a write may change: these tables and their past versions (django-simple-history
# keeps one per save), summed up in one query before and after every write request.
WATCHED = (
    Threat,
    ChokepointTechnology,
    Dependency,
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
    Notice,
    NoticeRead,
    Referral,
    ReferralReminder,
    SupportOrganization,
    SupportScheme,
    SavedFilter,
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


NEVER_SHOWN = never_shown()


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


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        # The test client closes the response once consumed (closing it again here would
        # fire request_finished and close the database connection mid-test).
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    text = raw.decode("utf-8", errors="replace")
    if response.get("Content-Type", "").startswith("application/json") and raw:
        # Also the decoded form, in case a renderer escapes non-ASCII text.
        text += json.dumps(json.loads(raw), ensure_ascii=False)
    return text
