"""Referrals of a concern to support organizations or schemes (相談窓口・紹介).

Nothing about a referral leaves the ministry before the company consents: a referral
is proposed by an official, consented to (or declined) by the concern's organization,
and only then referred. Every change is kept in its history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.enums import ReferralStatus
from dialogue.models.base import TimeStampedModel, VersionedModel
from dialogue.querysets import ReferralQuerySet


class Referral(VersionedModel, TimeStampedModel):
    concern = models.ForeignKey(
        "dialogue.Concern",
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("concern"),
    )
    # Numbered within the concern (1, 2 …): a global id would tell a company how many
    # referrals the ministry makes.
    number = models.PositiveIntegerField(_("number"), editable=False)
    support_organization = models.ForeignKey(
        "dialogue.SupportOrganization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("support organization"),
    )
    support_scheme = models.ForeignKey(
        "dialogue.SupportScheme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("support scheme"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED
    )
    note = models.TextField(_("note"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    # When the current status began: reminders count the days of waiting from here.
    status_changed_at = models.DateTimeField(_("status since"))
    consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consented by"),
    )
    consented_at = models.DateTimeField(_("consented at"), null=True, blank=True)
    referred_at = models.DateTimeField(_("referred at"), null=True, blank=True)
    support_started_at = models.DateTimeField(_("support started at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("declined by"),
    )
    history = HistoricalRecords()

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["concern", "number"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["status", "status_changed_at"], name="referral_waiting")]
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "number"], name="referral_number_per_concern"
            ),
            models.CheckConstraint(
                condition=Q(support_organization__isnull=False, support_scheme__isnull=True)
                | Q(support_organization__isnull=True, support_scheme__isnull=False),
                name="referral_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.concern_id}/{self.number}"

    @property
    def target(self):
        return self.support_scheme or self.support_organization

    @property
    def has_consent(self) -> bool:
        return self.consented_at is not None
