"""Links in e-mails: absolute (SITE_URL), reversed from the URL names, to the page the
recipient can open — the portal for company users, the workspace otherwise."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from dialogue.disclosure import sees_global_concern_ids
from dialogue.enums import Role


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _namespace(recipient) -> str:
    return "portal" if recipient.role == Role.COMPANY else "workspace"


def item_link(kind: str, pk: int, recipient) -> str:
    """Where `recipient` opens the item ("action", …).

    Concerns go through `concern_link`: the portal addresses them by reference, not id.
    """
    return absolute(reverse(f"{_namespace(recipient)}:{kind}-detail", kwargs={"pk": pk}))


def concern_link(concern, recipient) -> str:
    """Officials open the concern by id in the workspace; company users by their
    organization's reference number in the portal (the id would reveal the global count)."""
    if sees_global_concern_ids(recipient):
        return item_link("concern", concern.pk, recipient)
    return absolute(reverse("portal:concern-detail", kwargs={"reference": concern.reference}))


def action_tracker_link(recipient) -> str:
    """The recipient's list of actions; officials' is filtered to the overdue ones (the
    portal's list has no such filter)."""
    if recipient.role == Role.COMPANY:
        return absolute(reverse("portal:action-list"))
    return absolute(reverse("workspace:action-list") + "?" + urlencode({"overdue": "true"}))


def digest_link(digest) -> str:
    return absolute(reverse("workspace:digest-detail", kwargs={"pk": digest.pk}))
