"""A rendered e-mail and how it is sent: built in the recipient's language, sent as
plain text with an HTML alternative."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class Mail:
    """One e-mail to one address, ready to send."""

    to: str
    subject: str
    text: str
    html: str


@contextmanager
def in_language_of(recipient) -> Iterator[None]:
    """Everything built inside (labels, dates, rendered text) is in the recipient's language."""
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        yield


def mail_render(*, recipient, template: str, context: dict) -> Mail:
    """templates/emails/<template>_subject.txt, _body.txt and _body.html, in the recipient's
    language. Build translated values of `context` inside `in_language_of(recipient)`."""
    context = {**context, "recipient": recipient, "site_url": settings.SITE_URL}
    with in_language_of(recipient):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    return Mail(to=recipient.email, subject=subject, text=text, html=html)


def mail_send(mail: Mail) -> None:
    message = EmailMultiAlternatives(
        mail.subject, mail.text, settings.DEFAULT_FROM_EMAIL, [mail.to]
    )
    message.attach_alternative(mail.html, "text/html")
    message.send()
