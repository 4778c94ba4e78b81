from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.enums import SeverityLevel, ThreatStatus
from dialogue.models.base import MarkedModel, TimeStampedModel, VersionedModel
from dialogue.querysets import ThreatQuerySet

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


def severity_level(score: int) -> SeverityLevel:
    """Band a likelihood × impact score (1–25) as in a 5 × 5 risk matrix."""
    if score >= 15:
        return SeverityLevel.CRITICAL
    if score >= 10:
        return SeverityLevel.HIGH
    if score >= 5:
        return SeverityLevel.MEDIUM
    return SeverityLevel.LOW


class Threat(MarkedModel, VersionedModel, TimeStampedModel):
    """A threat or risk a sector faces, coded with the stable threat taxonomy."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sector = models.ForeignKey(
        "dialogue.Sector",
        on_delete=models.PROTECT,
        related_name="threats",
        verbose_name=_("sector"),
    )
    category = models.ForeignKey(
        "dialogue.ThreatCategory",
        on_delete=models.PROTECT,
        related_name="threats",
        verbose_name=_("threat code"),
    )
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), validators=ONE_TO_FIVE)
    impact = models.PositiveSmallIntegerField(_("impact"), validators=ONE_TO_FIVE)
    # Derived in the database so registers can filter and sort on it.
    severity = models.GeneratedField(
        expression=F("likelihood") * F("impact"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("severity"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ThreatStatus.choices, default=ThreatStatus.IDENTIFIED
    )
    source_session = models.ForeignKey(
        "dialogue.DialogueSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="threats",
        verbose_name=_("source session"),
    )
    source_concern = models.ForeignKey(
        "dialogue.Concern",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="threats",
        verbose_name=_("source concern"),
    )
    chokepoints = models.ManyToManyField(
        "dialogue.ChokepointTechnology",
        blank=True,
        related_name="threats",
        verbose_name=_("related chokepoints"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_threats",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords(
        excluded_fields=["severity"], m2m_fields=["chokepoints", "named_users"]
    )

    objects = ThreatQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("threat")
        verbose_name_plural = _("threats")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5),
                name="threat_likelihood_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=5), name="threat_impact_1_to_5"
            ),
        ]
        indexes = [
            # The heat map counts visible threats by sector and code from this index alone.
            models.Index(
                fields=["sector", "category"],
                include=["marking", "id"],
                name="threat_heat_map_cover",
            ),
            # The register's and the search's orders, walked by keyset pages and by a
            # frequent word's first page (lists.py, text_search.py).
            models.Index(fields=["updated_at", "id"], name="threat_updated_id"),
            models.Index(fields=["severity", "id"], name="threat_severity_id"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def severity_level(self) -> SeverityLevel:
        return severity_level(self.likelihood * self.impact)
