"""Asking before an irreversible step (revoking a token, withdrawing a notice, closing a
concern): the first POST shows what will happen, and only the POST from that page, which
carries the same fields and `confirmed=yes`, does it. No GET changes anything."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
