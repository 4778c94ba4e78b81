"""Invitations to the company portal.

An official invites a person to any organization; an organization's portal admin
invites colleagues to their own organization only. The link carries a random
token; only its SHA-256 is stored, so the e-mail holds the only copy. A link
works once, until it expires (INVITATION_TTL_DAYS, default 7) or is revoked;
a new invitation to the same address and organization revokes the older ones.
Accepting it creates the account and sets its password.

The e-mail is sent inside the transaction (not by a Celery task): the token
exists only in memory, and must not travel through the broker. If sending
fails, the invitation is rolled back and the inviter sees the error.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue.enums import Language, Role
from dialogue.mail import absolute, mail_send
from dialogue.mail.invitations import invitation_mail
from dialogue.models import Invitation, Organization, User
from dialogue.permissions import can_invite
from dialogue.services.common import PermissionDeniedError, attribute_history


class InvitationUnusableError(Exception):
    """The link is unknown, used, revoked or expired; `reason` says which (for its holder)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class InvitedPerson:
    """The addressee of an invitation e-mail: someone without an account yet."""

    email: str
    language: str
    role: str = Role.COMPANY

    @property
    def username(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return ""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def invitation_link(token: str) -> str:
    return absolute(reverse("portal:invitation-link", kwargs={"token": token}))


def organization_display_name(organization: Organization, language: str) -> str:
    if language == Language.EN and organization.name_en:
        return organization.name_en
    return organization.name


def invitation_check(*, inviter: User, organization: Organization, email: str) -> str:
    """Refuse an invitation the inviter may not send; returns the normalized address."""
    if not can_invite(inviter, organization):
        raise PermissionDeniedError(_("You can invite people only to your own organization."))
    email = normalize_email(email)
    # Only what the inviter may see is checked, so that an organization's admin
    # learns nothing about accounts of other organizations.
    if User.objects.visible_to(inviter).filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("An account with this e-mail address already exists.")}, code="exists"
        )
    return email


@transaction.atomic
def invitation_create(
    *,
    inviter: User,
    organization: Organization,
    email: str,
    is_org_admin: bool = False,
    language: str = Language.JA,
) -> tuple[Invitation, str]:
    """Invite `email` to `organization` and send the link; returns the invitation and the link."""
    email = invitation_check(inviter=inviter, organization=organization, email=email)
    now = timezone.now()
    Invitation.objects.filter(
        organization=organization,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email,
        organization=organization,
        is_org_admin=is_org_admin,
        language=language,
        token_hash=token_hash(token),
        invited_by=inviter,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_TTL_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    link = invitation_link(token)
    _send_invitation(invitation, link)
    return invitation, link


def display_name(user: User) -> str:
    """Family name first, as the government writes names in both languages."""
    name = " ".join(part for part in (user.last_name.strip(), user.first_name.strip()) if part)
    return name or user.get_username()


def _send_invitation(invitation: Invitation, link: str) -> None:
    mail_send(
        invitation_mail(
            recipient=InvitedPerson(email=invitation.email, language=invitation.language),
            organization_name=organization_display_name(
                invitation.organization, invitation.language
            ),
            inviter_name=display_name(invitation.invited_by),
            link=link,
            expires_at=invitation.expires_at,
            is_org_admin=invitation.is_org_admin,
        )
    )


def invitation_by_token(token: str, *, for_update: bool = False) -> Invitation:
    """The usable invitation for this link, or InvitationUnusableError saying why not."""
    queryset = Invitation.objects.select_related("organization")
    if for_update:
        queryset = queryset.select_for_update()
    invitation = queryset.filter(token_hash=token_hash(token or "")).first()
    if invitation is None:
        raise InvitationUnusableError("unknown")
    if invitation.accepted_at is not None:
        raise InvitationUnusableError("used")
    if invitation.revoked_at is not None:
        raise InvitationUnusableError("revoked")
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusableError("expired")
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, password: str, first_name: str = "", last_name: str = ""
) -> User:
    """Create the invited person's account with their password; the link is then used up.

    The invitation row is locked, so the same link sent twice at once makes one account.
    """
    invitation = invitation_by_token(token, for_update=True)
    username = normalize_email(invitation.email)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            _(
                "An account with this e-mail address already exists. Sign in, or reset "
                "your password."
            ),
            code="exists",
        )
    user = User(
        username=username,
        email=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=Role.COMPANY,
        organization=invitation.organization,
        is_org_admin=invitation.is_org_admin,
        language=invitation.language,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from error
    user.set_password(password)
    user.full_clean(exclude=["password"])
    attribute_history(user, invitation.invited_by)
    user.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    return user


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    """Stop a pending invitation's link from working."""
    if not can_invite(actor, invitation.organization):
        raise PermissionDeniedError(_("You can manage invitations only for your organization."))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation
