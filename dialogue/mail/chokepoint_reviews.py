"""The chokepoint review e-mail: one per recipient, listing the chokepoints whose review
date is near or past in the sectors they lead or work on."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from dialogue.enums import ChokepointProcessStage
from dialogue.mail.links import item_link
from dialogue.mail.message import Mail, in_language_of, mail_render
from dialogue.mail.titles import mail_safe_title


@dataclass(frozen=True)
class ReviewLine:
    """One chokepoint to review, as read from the ledger (only what the e-mail shows)."""

    chokepoint_id: int
    name: str
    marking: str
    process_stage: str
    review_on: datetime.date
    sector_name_ja: str
    sector_name_en: str = ""


def chokepoint_review_mail(*, recipient, reviews: Sequence[ReviewLine]) -> Mail:
    """A name only for CLEAR/GREEN chokepoints, otherwise the id and the marking."""
    english = recipient.language == "en"
    with in_language_of(recipient):
        items = [
            {
                "title": mail_safe_title(
                    pk=line.chokepoint_id, title=line.name, marking=line.marking
                ),
                "stage": ChokepointProcessStage(line.process_stage).label
                if line.process_stage in ChokepointProcessStage.values
                else "",
                "review_on": line.review_on,
                "sector": (english and line.sector_name_en) or line.sector_name_ja,
                "link": item_link("chokepoint", line.chokepoint_id, recipient),
            }
            for line in reviews
        ]
        return mail_render(
            recipient=recipient,
            template="chokepoint_review",
            context={"items": items, "count": len(reviews)},
        )
