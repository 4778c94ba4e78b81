"""E-mail in the recipient's language, plain text and HTML, with links back to the app."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from dialogue.disclosure import sees_global_concern_ids
from dialogue.enums import Marking, Role

# Markings whose content may travel in an e-mail body.
MAILABLE = {Marking.CLEAR, Marking.GREEN}


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# A sample value per URL argument, replaced by a `{key}` placeholder once reversed.
_SAMPLES = {"pk": "987654321", "reference": "9999-98765432"}


@lru_cache(maxsize=64)
def _path_pattern(name: str, argument: str, fallback: str) -> str:
    """The item URL with a `{key}` placeholder, resolved once per URL name (a sweep builds
    thousands of links)."""
    sample = _SAMPLES[argument]
    try:
        return reverse(name, kwargs={argument: sample}).replace(sample, "{key}")
    except NoReverseMatch:  # the page is not routed in this deployment
        return fallback


def item_link(kind: str, pk: int, recipient) -> str:
    """Where `recipient` opens the item: the portal for company users, the workspace otherwise.

    Concerns go through `concern_link`: the portal addresses them by reference, not id.
    """
    if recipient.role == Role.COMPANY:
        pattern = _path_pattern(f"portal:{kind}-detail", "pk", f"/portal/{kind}s/{{key}}/")
    else:
        pattern = _path_pattern(f"workspace:{kind}-detail", "pk", f"/{kind}s/{{key}}/")
    return absolute(pattern.format(key=pk))


def concern_link(concern, recipient) -> str:
    """Officials open the concern by id in the workspace; company users by their
    organization's reference number in the portal (the id would reveal the global count)."""
    if sees_global_concern_ids(recipient):
        return item_link("concern", concern.pk, recipient)
    pattern = _path_pattern("portal:concern-detail", "reference", "/portal/concerns/{key}/")
    return absolute(pattern.format(key=concern.reference))


def mail_safe_title(item=None, *, pk=None, title=None, marking=None, reference=None) -> str:
    """The title only when its marking allows e-mail (CLEAR or GREEN); otherwise a reference:
    `reference` when given (a concern's number for its company), else the id."""
    if item is not None:
        pk, title, marking = item.pk, item.title, item.marking
    if marking in MAILABLE:
        return title
    if reference is not None:
        return _("%(reference)s (TLP:%(marking)s: open the link to read it)") % {
            "reference": reference,
            "marking": marking,
        }
    return _("#%(id)s (TLP:%(marking)s: open the link to read it)") % {"id": pk, "marking": marking}


def concern_mail_title(concern, recipient) -> str:
    """`mail_safe_title` of a concern, numbered as `recipient` may know it."""
    if sees_global_concern_ids(recipient):
        return mail_safe_title(concern)
    return mail_safe_title(concern, reference=concern.reference)


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
