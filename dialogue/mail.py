"""E-mail in the recipient's language, plain text and HTML, with links back to the app."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from dialogue.enums import Marking, Role

# Markings whose content may travel in an e-mail body.
MAILABLE = {Marking.CLEAR, Marking.GREEN}


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@lru_cache(maxsize=64)
def _path_pattern(name: str, fallback: str) -> str:
    """The item URL with a `{pk}` placeholder, resolved once per URL name (a sweep builds
    thousands of links)."""
    try:
        return reverse(name, kwargs={"pk": 987654321}).replace("987654321", "{pk}")
    except NoReverseMatch:  # the page is not routed in this deployment
        return fallback


def item_link(kind: str, pk: int, recipient) -> str:
    """Where `recipient` opens the item: the portal for company users, the workspace otherwise."""
    if recipient.role == Role.COMPANY:
        pattern = _path_pattern(f"portal:{kind}-detail", f"/portal/{kind}s/{{pk}}/")
    else:
        pattern = _path_pattern(f"workspace:{kind}-detail", f"/{kind}s/{{pk}}/")
    return absolute(pattern.format(pk=pk))


def mail_safe_title(item=None, *, pk=None, title=None, marking=None) -> str:
    """The title only when its marking allows e-mail (CLEAR or GREEN); otherwise a reference."""
    if item is not None:
        pk, title, marking = item.pk, item.title, item.marking
    if marking in MAILABLE:
        return title
    return _("#%(id)s (TLP:%(marking)s: open the link to read it)") % {"id": pk, "marking": marking}


def send_in_language(*, recipient, template: str, context) -> None:
    """Render templates/emails/<template>_{subject,body}.txt and _body.html in the recipient's language.

    `context` may be a callable, so that translated values are built inside the
    recipient's language too.
    """
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = context() if callable(context) else context
        context = {**context, "recipient": recipient, "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    message.attach_alternative(html, "text/html")
    message.send()
