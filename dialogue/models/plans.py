from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.enums import PlanRevisionStatus
from dialogue.models.base import TimeStampedModel
from dialogue.querysets import OfficialOnlyQuerySet, PlanRevisionItemQuerySet


class PlanRevision(TimeStampedModel):
    """An edition of the living action plan (初版, 第2版 …)."""

    number = models.PositiveIntegerField(_("edition number"), unique=True)
    label = models.CharField(_("label"), max_length=40, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PlanRevisionStatus.choices,
        default=PlanRevisionStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_plan_revisions",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    objects = OfficialOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("plan revision")
        verbose_name_plural = _("plan revisions")

    def __str__(self) -> str:
        return self.label


class PlanRevisionItem(models.Model):
    """What a revision contains: a frozen snapshot of one in-scope item, so a
    published revision never changes when the live record does."""

    class Kind(models.TextChoices):
        THREAT = "threat", _("Threat")
        CHOKEPOINT = "chokepoint", _("Chokepoint technology")
        ACTION = "action", _("Follow-up action")
        CONCERN_AGGREGATE = "concern_aggregate", _("Concern count")
        DEPENDENCY = "dependency", _("Dependency")
        REFERRAL_AGGREGATE = "referral_aggregate", _("Referral count")

    revision = models.ForeignKey(PlanRevision, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    sector = models.ForeignKey(
        "dialogue.Sector", on_delete=models.PROTECT, related_name="+", verbose_name=_("sector")
    )
    marking = models.CharField(_("marking"), max_length=12)
    data = models.JSONField(_("snapshot"), default=dict)

    objects = PlanRevisionItemQuerySet.as_manager()

    if TYPE_CHECKING:
        # Set on the lines a diff compares (selectors.plans._raw_diff).
        read_as: str

    class Meta:
        ordering = ["revision", "kind", "sector", "object_id"]
        verbose_name = _("plan revision item")
        verbose_name_plural = _("plan revision items")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "kind", "object_id"], name="plan_item_once_per_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.revision_id}:{self.kind}:{self.object_id}"
