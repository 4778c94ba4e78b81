"""The reminder e-mail: one per recipient, listing their actions due soon, overdue or
(to a sector lead) long overdue."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

from dialogue.enums import ReminderKind
from dialogue.mail.links import action_tracker_link, item_link
from dialogue.mail.message import Mail, in_language_of, mail_render
from dialogue.mail.titles import mail_safe_title


@dataclass(frozen=True)
class ReminderLine:
    """One action to remind of, as read from the ledger (only what the e-mail shows)."""

    action_id: int
    kind: str  # a ReminderKind
    title: str
    marking: str
    due_on: datetime.date
    sector_name_ja: str
    sector_name_en: str = ""


def reminder_mail(*, recipient, reminders: Sequence[ReminderLine]) -> Mail:
    """The e-mail reminding `recipient` of `reminders` (each one they may be told of).

    A title only for CLEAR/GREEN actions, otherwise the id and the marking; a long list
    shows the first REMINDER_MAX_LISTED, then links to the tracker.
    """
    listed = reminders[: settings.REMINDER_MAX_LISTED]
    english = recipient.language == "en"
    with in_language_of(recipient):
        items = [
            {
                "kind": ReminderKind(line.kind).label,
                "title": mail_safe_title(pk=line.action_id, title=line.title, marking=line.marking),
                "due_on": line.due_on,
                "sector": (english and line.sector_name_en) or line.sector_name_ja,
                "link": item_link("action", line.action_id, recipient),
            }
            for line in listed
        ]
        return mail_render(
            recipient=recipient,
            template="reminder",
            context={
                "items": items,
                "count": len(reminders),
                "more": len(reminders) - len(listed),
                "tracker_link": action_tracker_link(recipient),
                "escalation": all(line.kind == ReminderKind.ESCALATION for line in reminders),
            },
        )
