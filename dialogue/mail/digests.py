"""The plan-revision digest e-mail: counts only; the details are behind the link."""

from __future__ import annotations

from dialogue.mail.links import digest_link
from dialogue.mail.message import Mail, mail_render


def digest_mail(*, digest) -> Mail:
    """The e-mail of a stored digest to its recipient."""
    content = digest.content
    return mail_render(
        recipient=digest.recipient,
        template="digest",
        context={
            "digest": digest,
            "new_threats": sum(row["count"] for row in content["new_threats"]),
            "changed_threats": sum(row["count"] for row in content["changed_threats"]),
            "new_chokepoints": len(content["new_chokepoints"]),
            "actions_done": content["actions_done"],
            "actions_overdue": content["actions_overdue"],
            "link": digest_link(digest),
        },
    )
