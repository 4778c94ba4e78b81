"""The e-mails about a concern: submitted (to the sector's officials), replied to and
status changed (to the submitting organization's people)."""

from __future__ import annotations

from dialogue.disclosure import concern_number
from dialogue.enums import NotificationEvent
from dialogue.mail.links import concern_link
from dialogue.mail.message import Mail, in_language_of, mail_render
from dialogue.mail.titles import concern_mail_title


def concern_notification_mail(*, event: str, concern, recipient) -> Mail:
    """The e-mail telling `recipient` of `event` on `concern`: the title only for a CLEAR or
    GREEN concern, numbered as the recipient knows it (a company user never sees the
    global id), and the link where they open it."""
    NotificationEvent(event)  # an unknown event has no template: fail here, not in rendering
    with in_language_of(recipient):
        return mail_render(
            recipient=recipient,
            template=f"notification_{event}",  # the concern's status renders in the template
            context={
                "concern_title": concern_mail_title(concern, recipient),
                "concern_number": concern_number(recipient, concern),
                "concern": concern,
                "link": concern_link(concern, recipient),
            },
        )
