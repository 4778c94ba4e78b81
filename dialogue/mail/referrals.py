"""The referral reminder e-mail to an official: referrals waiting for consent or an answer."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from dialogue.enums import ReferralWait
from dialogue.mail.links import item_link
from dialogue.mail.message import Mail, in_language_of, mail_render
from dialogue.mail.titles import mail_safe_title


@dataclass(frozen=True)
class ReferralReminderLine:
    concern_id: int
    concern_title: str
    marking: str
    number: int
    wait: str  # a ReferralWait
    waiting_since: datetime.datetime


def referral_reminder_mail(*, recipient, lines: Sequence[ReferralReminderLine]) -> Mail:
    """The concern's title only when its marking allows e-mail; otherwise its id."""
    with in_language_of(recipient):
        items = [
            {
                "wait": ReferralWait(line.wait).label,
                "title": mail_safe_title(
                    pk=line.concern_id, title=line.concern_title, marking=line.marking
                ),
                "number": line.number,
                "since": line.waiting_since,
                "link": item_link("concern", line.concern_id, recipient),
            }
            for line in lines
        ]
        return mail_render(
            recipient=recipient,
            template="referral_reminder",
            context={"items": items, "count": len(items)},
        )
