"""The security audit log: who did what, when, from where; one JSON object per line.

Events go to the "dialogue.audit" logger (settings.LOGGING: stderr, and AUDIT_LOG_FILE
when set), formatted by dialogue.logging.JsonFormatter:

    auth.login_failed      a sign-in refused (workspace, portal, admin, API token);
                           with the user name tried, never the password
    auth.locked_out        django-axes refused an account or address after too many failures
    access.denied          a signed-in user answered 403, or 404 by a page that exists
                           (dialogue.middleware.AccessDeniedAuditMiddleware)
    export.file            an export handed over at once
    export.queued          a large export queued as a background job
    export.downloaded      a finished export job's file fetched
    attachment.downloaded  a concern's attachment fetched
    token.created          an API token issued (object_id: the token's id, never its key)
    token.revoked          an API token ended; reason: revoked (by its owner), signed_out
                           (DELETE /api/v1/auth/token/), password_changed, deactivated,
                           revoked_by_admin

Who: user_id, username, role and organization_id (role "anonymous" and the rest
null before sign-in); from: ip (the client's address, as the sign-in lock-out
counts it) and view (the URL pattern's name, e.g. "portal:login"); when: the
formatter's UTC timestamp. Only ids, kinds, formats and markings are logged,
never what a record says: no titles, descriptions, messages or file names.

This log records access; django-simple-history records changes to the records.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed

from dialogue.client_ip import client_ip

logger = logging.getLogger("dialogue.audit")

ANONYMOUS = "anonymous"
# The longest user name (AbstractUser.username) that a failed sign-in may log.
USERNAME_MAX = 150


def actor(user) -> dict[str, Any]:
    if user is None or not user.is_authenticated:
        return {"user_id": None, "username": None, "role": ANONYMOUS, "organization_id": None}
    return {
        "user_id": user.pk,
        "username": user.get_username(),
        "role": user.role,
        "organization_id": user.organization_id,
    }


def view_name(request) -> str | None:
    """The URL pattern's name ("portal:login"), never the address with its query string."""
    match = getattr(request, "resolver_match", None) if request is not None else None
    return match.view_name if match is not None else None


@dataclass(frozen=True)
class Origin:
    """Where an action was asked from: the client's address and the URL pattern's name.
    A front door reads it from its request (`request_origin`) and hands it to a service,
    which then logs without seeing the request."""

    ip: str | None = None
    view: str | None = None


def request_origin(request) -> Origin:
    """The origin of `request` (Django's or DRF's); an empty one without a request."""
    if request is None:
        return Origin()
    return Origin(ip=client_ip(request), view=view_name(request))


def audit_event(
    event: str, *, user, request=None, origin: Origin | None = None, **fields: Any
) -> None:
    """Log `event` for `user` (None or anonymous before sign-in) with `fields`: ids,
    kinds and codes only. `origin`, or else `request` (Django's or DRF's), gives the
    client's address and the name of the URL pattern ("view")."""
    if not logger.isEnabledFor(logging.INFO):
        return
    where = origin if origin is not None else request_origin(request)
    entry = {"event": event, **actor(user), "ip": where.ip, "view": where.view, **fields}
    logger.info(event, extra={"audit": entry})


def _login_failed(sender, credentials: dict, request=None, **kwargs) -> None:
    # Django has masked the password in `credentials` already; only the user name is taken.
    username = credentials.get(get_user_model().USERNAME_FIELD)
    audit_event(
        "auth.login_failed",
        user=None,
        request=request,
        attempted_username=str(username)[:USERNAME_MAX] if username is not None else None,
    )


def _locked_out(sender, request=None, username=None, **kwargs) -> None:
    audit_event(
        "auth.locked_out",
        user=None,
        request=request,
        attempted_username=str(username)[:USERNAME_MAX] if username is not None else None,
    )


def connect_signals() -> None:
    """Called from DialogueConfig.ready(), once the apps (django-axes too) are loaded."""
    from axes.signals import user_locked_out

    user_login_failed.connect(_login_failed, dispatch_uid="dialogue.audit.login_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="dialogue.audit.locked_out")


# --- exports: the same fields from the workspace and the API ------------------------------


def audit_export_file(
    *,
    user,
    origin: Origin,
    kind: str,
    format: str,
    max_marking: str | None,
    marking: str,
    rows: int | None = None,
    revision_id: int | None = None,
) -> None:
    """An export handed over at once (`rows` unknown while a CSV streams)."""
    audit_event(
        "export.file",
        user=user,
        origin=origin,
        object_type="plan_revision" if revision_id is not None else None,
        object_id=revision_id,
        kind=kind,
        format=format,
        max_marking=max_marking,
        marking=marking,
        rows=rows,
    )


def audit_export_queued(*, user, origin: Origin, job) -> None:
    audit_event(
        "export.queued",
        user=user,
        origin=origin,
        object_type="export_job",
        object_id=job.pk,
        kind=job.kind,
        format=job.format,
        max_marking=job.params.get("max_marking"),
    )


def audit_export_downloaded(*, user, origin: Origin, job) -> None:
    audit_event(
        "export.downloaded",
        user=user,
        origin=origin,
        object_type="export_job",
        object_id=job.pk,
        kind=job.kind,
        format=job.format,
        marking=job.marking,
        rows=job.rows,
    )


# --- API tokens: issued and ended ---------------------------------------------------------


def audit_token_created(request, token) -> None:
    audit_event(
        "token.created",
        user=token.user,
        request=request,
        object_type="api_token",
        object_id=token.pk,
        expires_at=token.expires_at.isoformat(),
    )


def audit_token_revoked(request, token, *, reason: str, actor=None) -> None:
    """`actor`: who ended it (its owner unless an official deactivated the account);
    `token_owner_id` says whose token it was."""
    audit_event(
        "token.revoked",
        user=actor if actor is not None else token.user,
        request=request,
        object_type="api_token",
        object_id=token.pk,
        token_owner_id=token.user_id,
        reason=reason,
    )
