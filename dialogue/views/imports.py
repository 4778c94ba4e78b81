"""File imports with a dry run, shared by the dependency figures and the tracker import:
the staged file's token kept in the uploader's session between the dry run and the
confirmation, and the report's problems on the upload form."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def remember_token(request: HttpRequest, key: str, token: str) -> None:
    """Hand the staged file's token to this user's session (the last five are kept)."""
    tokens = request.session.get(key, [])
    request.session[key] = [*tokens[-4:], token]


def holds_token(request: HttpRequest, key: str, token: str) -> bool:
    return token in request.session.get(key, [])


def take_token(request: HttpRequest, key: str, token: str) -> bool:
    """The token was handed to this user's session by their own dry run; it is used up."""
    tokens = request.session.get(key, [])
    if token not in tokens:
        return False
    request.session[key] = [t for t in tokens if t != token]
    return True


def errors_on_form(form: forms.Form, report) -> None:
    """A problem with the whole file under the file field; rows' problems summed up above
    the form (the report's table lists them by row)."""
    for error in report.errors:
        if error.row == 0:
            form.add_error("file" if error.column in ("", "file") else None, error.message)
    rows = sum(1 for error in report.errors if error.row != 0)
    if rows:
        form.add_error(
            None,
            ngettext(
                "%(count)d problem in the rows: nothing was saved (see the table).",
                "%(count)d problems in the rows: nothing was saved (see the table).",
                rows,
            )
            % {"count": rows},
        )


def say_imported(request: HttpRequest, report) -> None:
    """The message after a confirmed import: how many records it created and changed."""
    messages.success(
        request,
        _("Imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.")
        % {
            "created": report.count("create"),
            "updated": report.count("update"),
            "unchanged": report.count("unchanged"),
        },
    )
