"""Reads of referrals: a concern's referrals, what waits in my sectors, counts per sector.

Referrals go with their concern (`Referral.objects.visible_to`); counts shown beside
other sectors' figures pass the k ≥ 3 rule like every concern count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from dialogue.disclosure import concern_count
from dialogue.enums import ReferralStatus
from dialogue.models import Concern, ForeignMeasure, Referral
from dialogue.selectors.dashboard import Panel, in_my_sectors, panel

if TYPE_CHECKING:
    from dialogue.models import User

WAITING_FOR_ANSWER = (ReferralStatus.CONSENTED, ReferralStatus.REFERRED)


def referrals_with_targets(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    return queryset.select_related(
        "support_organization", "support_scheme", "support_scheme__organization", "consented_by"
    )


def concern_referrals(user: User, concern: Concern) -> list[Referral]:
    return list(
        referrals_with_targets(Referral.objects.visible_to(user).filter(concern=concern)).order_by(
            "number"
        )
    )


def referral_get(user: User, concern: Concern, number: int) -> Referral:
    """The concern's referral by its number within the concern; 404 when not visible."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        referrals_with_targets(Referral.objects.visible_to(user)).select_related("concern"),
        concern=concern,
        number=number,
    )


def concern_measures(user: User, concern: Concern) -> list[ForeignMeasure]:
    """The foreign measures linked to the concern that the reader may see."""
    return list(
        ForeignMeasure.objects.visible_to(user)
        .filter(concerns=concern)
        .order_by("-effective_on", "country_code", "pk")
    )


@dataclass(frozen=True)
class WaitingReferrals:
    for_consent: Panel
    for_answer: Panel


def waiting_referrals(user: User) -> WaitingReferrals:
    """Referrals of my sectors' concerns waiting for the company's consent, or for the
    support organization's answer (consented or referred, support not started)."""
    referrals = referrals_with_targets(
        in_my_sectors(Referral.objects.visible_to(user), user, field="concern__sector")
    ).select_related("concern", "concern__sector", "concern__organization")
    return WaitingReferrals(
        for_consent=panel(
            referrals.filter(status=ReferralStatus.PROPOSED).order_by("status_changed_at", "pk")
        ),
        for_answer=panel(
            referrals.filter(status__in=WAITING_FOR_ANSWER).order_by("status_changed_at", "pk")
        ),
    )


@dataclass(frozen=True)
class StatusCount:
    status: ReferralStatus
    count: int | str  # as shown: a number, or "fewer than 3"


def sector_referral_counts(user: User, sector_ids: list[int]) -> list[StatusCount]:
    """Referrals of the sectors' concerns by status, each count behind at least three
    organizations (else "fewer than 3"): one query."""
    rows = {
        row["status"]: (row["n"], row["orgs"])
        for row in Referral.objects.visible_to(user)
        .filter(concern__sector__in=sector_ids)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"), orgs=Count("concern__organization", distinct=True))
    }
    return [
        StatusCount(status=ReferralStatus(status), count=concern_count(*rows.get(status, (0, 0))))
        for status in ReferralStatus.values
    ]
