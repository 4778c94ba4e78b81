"""What an e-mail may say about a record: its title only when the marking lets the
content travel by e-mail (CLEAR, GREEN); otherwise a reference and the marking, and the
link to read it after signing in."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dialogue.disclosure import sees_global_concern_ids
from dialogue.enums import Marking

# Markings whose content may travel in an e-mail body.
MAILABLE = {Marking.CLEAR, Marking.GREEN}


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
