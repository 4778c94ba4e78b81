"""Referrals of a concern to support organizations and schemes (相談窓口・紹介).

An official of the concern's sector proposes; the concern's organization consents or
declines in the portal; only after consent may the official refer it and record how it
goes. Nothing about a referral leaves the ministry without the recorded consent.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue.enums import ConcernStatus, ReferralStatus
from dialogue.models import (
    Concern,
    ForeignMeasure,
    Referral,
    SupportOrganization,
    SupportScheme,
    User,
)
from dialogue.permissions import can_consent_to_referral, can_refer_concern
from dialogue.services.common import (
    PermissionDeniedError,
    attribute_history,
    check_transition,
    lock_for_update,
    save_validated,
)
from dialogue.services.notifications import notify_referral_proposed
from dialogue.workflows import REFERRAL_TRANSITIONS

CLOSED_CONCERN = (ConcernStatus.CLOSED, ConcernStatus.WITHDRAWN)
OPEN_REFERRAL = (
    ReferralStatus.PROPOSED,
    ReferralStatus.CONSENTED,
    ReferralStatus.REFERRED,
    ReferralStatus.SUPPORT_STARTED,
)
# The date recorded when a referral enters each status.
STATUS_DATES = {
    ReferralStatus.CONSENTED: "consented_at",
    ReferralStatus.REFERRED: "referred_at",
    ReferralStatus.SUPPORT_STARTED: "support_started_at",
    ReferralStatus.CLOSED: "closed_at",
    ReferralStatus.DECLINED: "declined_at",
}


def _require_referrer(actor: User, concern: Concern) -> None:
    if not can_refer_concern(actor, concern):
        raise PermissionDeniedError(_("Only the sector's officials can refer this concern."))


@transaction.atomic
def referrals_propose(
    *,
    concern: Concern,
    actor: User,
    organizations: Sequence[SupportOrganization] = (),
    schemes: Sequence[SupportScheme] = (),
    note: str = "",
) -> list[Referral]:
    """Propose referrals of the concern, one per organization or scheme; the company is told
    and asked for its consent. A target already referred and still open is refused."""
    _require_referrer(actor, concern)
    if concern.status in CLOSED_CONCERN:
        raise ValidationError(
            {"concern": _("This concern is closed; it cannot be referred.")}, code="closed"
        )
    if not organizations and not schemes:
        raise ValidationError(
            {"targets": _("Choose at least one support organization or scheme.")},
            code="required",
        )
    if any(not entry.is_active for entry in [*organizations, *schemes]):
        raise ValidationError(
            {"targets": _("Choose organizations and schemes that are still offered.")},
            code="invalid",
        )
    # The concern's row is locked so that two proposals take their numbers in turn.
    Concern.objects.select_for_update().filter(pk=concern.pk).values("pk").get()
    open_referrals = Referral.objects.filter(concern=concern, status__in=OPEN_REFERRAL)
    taken = set(
        open_referrals.values_list("support_organization_id", "support_scheme_id").distinct()
    )
    wanted = [(o.pk, None) for o in organizations] + [(None, s.pk) for s in schemes]
    if len(set(wanted)) != len(wanted) or taken & set(wanted):
        raise ValidationError(
            {"targets": _("This concern is already referred to one of these.")},
            code="duplicate",
        )
    number = Referral.objects.filter(concern=concern).aggregate(n=Max("number")).get("n") or 0
    now = timezone.now()
    referrals = []
    for organization_id, scheme_id in wanted:
        number += 1
        referral = Referral(
            concern=concern,
            number=number,
            support_organization_id=organization_id,
            support_scheme_id=scheme_id,
            note=note,
            proposed_by=actor,
            status_changed_at=now,
        )
        save_validated(referral, actor=actor)
        referrals.append(referral)
    notify_referral_proposed(concern, referrals)
    return referrals


def _move(referral: Referral, actor: User, status: str, note: str | None) -> Referral:
    check_transition(REFERRAL_TRANSITIONS, ReferralStatus, referral.status, status)
    now = timezone.now()
    referral.status = status
    referral.status_changed_at = now
    changed = ["status", "status_changed_at"]
    field = STATUS_DATES.get(ReferralStatus(status))
    if field:
        setattr(referral, field, now)
        changed.append(field)
    if note is not None:
        referral.note = note
        changed.append("note")
    save_validated(referral, actor=actor, update_fields=changed)
    return referral


@transaction.atomic
def referral_respond(
    *, referral: Referral, actor: User, consent: bool, expected_version: int | None = None
) -> Referral:
    """The concern's organization consents to the referral (recording who and when), or
    declines it. Nobody answers for another organization."""
    concern = referral.concern
    if not can_consent_to_referral(actor, concern):
        raise PermissionDeniedError(
            _("Only your organization's own users can answer for its concern.")
        )
    referral = lock_for_update(referral, expected_version)
    if referral.status != ReferralStatus.PROPOSED:
        raise ValidationError(
            {"status": _("This referral has already been answered.")}, code="answered"
        )
    if consent:
        referral.consented_by = actor
        referral = _move(referral, actor, ReferralStatus.CONSENTED, None)
        save_validated(referral, actor=actor, update_fields=["consented_by"])
        return referral
    referral.declined_by = actor
    referral = _move(referral, actor, ReferralStatus.DECLINED, None)
    save_validated(referral, actor=actor, update_fields=["declined_by"])
    return referral


@transaction.atomic
def referral_change_status(
    *,
    referral: Referral,
    actor: User,
    status: str,
    note: str | None = None,
    expected_version: int | None = None,
) -> Referral:
    """The sector's official records how the referral goes: referred, support started,
    closed or declined. Consent is the company's alone: an official cannot give it, and
    cannot refer before it is given."""
    _require_referrer(actor, referral.concern)
    if status == ReferralStatus.CONSENTED:
        raise PermissionDeniedError(_("Only the company can consent to a referral."))
    referral = lock_for_update(referral, expected_version)
    if status != ReferralStatus.DECLINED and not referral.has_consent:
        raise ValidationError(
            {"status": _("The company has not consented to this referral yet.")},
            code="no_consent",
        )
    if status == ReferralStatus.DECLINED:
        referral.declined_by = actor
        referral = _move(referral, actor, status, note)
        save_validated(referral, actor=actor, update_fields=["declined_by"])
        return referral
    return _move(referral, actor, status, note)


@transaction.atomic
def concern_link_measures(
    *, concern: Concern, actor: User, measures: Sequence[ForeignMeasure]
) -> Concern:
    """Officials record the foreign measures behind the concern (replacing the previous set)."""
    _require_referrer(actor, concern)
    visible = set(
        ForeignMeasure.objects.visible_to(actor)
        .filter(pk__in=[m.pk for m in measures])
        .values_list("pk", flat=True)
    )
    if visible != {m.pk for m in measures}:
        raise ValidationError({"foreign_measures": _("Choose foreign measures you can see.")})
    attribute_history(concern, actor)  # the concern's history names who linked them
    concern.foreign_measures.set(measures)
    return concern
