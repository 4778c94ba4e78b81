"""Referrals of concerns to support organizations and schemes, per sector and status.

Counts only: no company, concern or referral is named. Each count is shown only where at
least K_ANONYMITY organizations stand behind it, otherwise "fewer than 3" (which also
stands for none).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from dialogue.enums import ReferralStatus
from dialogue.selectors.plan_summary.columns import Column, PlanSheet


@dataclass(frozen=True, slots=True)
class ReferralRow:
    sector: str  # the sector's code
    sector_name: str
    status: str  # the status's label
    # A count, "fewer than 3" (which also stands for none), or "" when not the reader's.
    referrals: int | str


class ReferralSheet(PlanSheet[ReferralRow]):
    key = "referrals"
    title = gettext_lazy("Referrals to support")
    columns = (
        Column("sector", gettext_lazy("Sector code"), 22),
        Column("sector_name", gettext_lazy("Sector"), 24),
        Column("status", gettext_lazy("Referral status"), 18),
        Column("referrals", gettext_lazy("Referrals (3+ organizations)"), 16),
    )

    def rows(self) -> Iterator[ReferralRow]:
        summary = self.summary
        for sector in summary.sectors:
            for status in ReferralStatus:
                yield ReferralRow(
                    sector=sector.code,
                    sector_name=sector.name,
                    status=str(status.label),
                    referrals=summary.visible_referral_cell(sector, status.value),
                )
