"""The invitation to the company portal, in the language chosen for the invited person."""

from __future__ import annotations

import datetime

from dialogue.mail.message import Mail, mail_render


def invitation_mail(
    *,
    recipient,
    organization_name: str,
    inviter_name: str,
    link: str,
    expires_at: datetime.datetime,
    is_org_admin: bool,
) -> Mail:
    """The e-mail carrying `link` (the only copy of its token) to the invited `recipient`
    (anything with `email` and `language`: the person has no account yet)."""
    return mail_render(
        recipient=recipient,
        template="invitation",
        context={
            "organization_name": organization_name,
            "inviter_name": inviter_name,
            "link": link,
            "expires_at": expires_at,
            "is_org_admin": is_org_admin,
        },
    )
