"""E-mail content, one function per kind of e-mail, each returning a rendered `Mail` in
the recipient's language; services decide who is told and when, then `mail_send` it.

- `reminders.reminder_mail`, `notifications.concern_notification_mail`,
  `digests.digest_mail`, `invitations.invitation_mail`: what each e-mail says;
- `titles`: what an e-mail may say about a record (titles only for CLEAR/GREEN);
- `links`: absolute links (SITE_URL), reversed from URL names, portal or workspace
  by the recipient's role;
- `message`: `Mail`, rendering in the recipient's language, sending.

Below the services: imports models' enums and the disclosure rules, no front door.
"""

from dialogue.mail.links import absolute, concern_link, item_link
from dialogue.mail.message import Mail, in_language_of, mail_render, mail_send
from dialogue.mail.titles import MAILABLE, concern_mail_title, mail_safe_title

__all__ = [
    "MAILABLE",
    "Mail",
    "absolute",
    "concern_link",
    "concern_mail_title",
    "in_language_of",
    "item_link",
    "mail_render",
    "mail_safe_title",
    "mail_send",
]
