"""The e-mail announcing new notices to a company user: titles and links (a notice to
companies is CLEAR or GREEN, so its title may travel), the text behind the link."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.urls import reverse

from dialogue.enums import NoticeKind
from dialogue.mail.links import absolute
from dialogue.mail.message import Mail, in_language_of, mail_render
from dialogue.mail.titles import mail_safe_title


def notice_link(notice) -> str:
    return absolute(reverse("portal:notice-detail", kwargs={"pk": notice.pk}))


def notice_mail(*, recipient, notices: Sequence) -> Mail:
    """The e-mail telling `recipient` of `notices` (each addressed to them, unread)."""
    listed = notices[: settings.NOTICE_MAIL_MAX_LISTED]
    with in_language_of(recipient):
        items = [
            {
                "kind": NoticeKind(notice.kind).label,
                "title": mail_safe_title(notice),
                "publish_on": notice.publish_on,
                "link": notice_link(notice),
            }
            for notice in listed
        ]
        return mail_render(
            recipient=recipient,
            template="notice",
            context={
                "items": items,
                "count": len(notices),
                "more": len(notices) - len(listed),
                "list_link": absolute(reverse("portal:notice-list")),
                "settings_link": absolute(reverse("portal:account")),
            },
        )
