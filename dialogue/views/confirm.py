"""Asking before an irreversible step (revoking a token, withdrawing a notice, closing a
concern): the first POST shows what will happen, and only the POST from that page, which
carries the same fields and `confirmed=yes`, does it. No GET changes anything."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

CONFIRMED = "confirmed"


def ask_first(
    request: HttpRequest,
    *,
    title: str,
    question: str,
    button: str,
    cancel_url: str,
    base: str = "dialogue/base.html",
) -> HttpResponse | None:
    """The confirmation page, or None once the person has confirmed."""
    if request.POST.get(CONFIRMED) == "yes":
        return None
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", CONFIRMED)
        for value in values
    ]
    return render(
        request,
        "dialogue/confirm.html",
        {
            "title": title,
            "question": question,
            "button": button,
            "cancel_url": cancel_url,
            "fields": fields,
            "base": base,
        },
    )


def ask_before_revoking(
    request: HttpRequest, token, *, cancel_url: str, base: str = "dialogue/base.html"
) -> HttpResponse | None:
    """The confirmation before revoking one's own API token (workspace and portal)."""
    return ask_first(
        request,
        title=_("Revoke the API token"),
        question=_(
            "Revoke “%(name)s”? Programs that use it stop working at once; "
            "a revoked token cannot be restored."
        )
        % {"name": token},
        button=_("Revoke the token"),
        cancel_url=cancel_url,
        base=base,
    )
