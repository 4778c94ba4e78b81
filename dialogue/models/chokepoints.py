from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.enums import (
    ChokepointProcessStage,
    ChokepointSurvey,
    ConcernLevel,
    SupplyChainStage,
)
from dialogue.models.base import MarkedModel, TimeStampedModel, VersionedModel
from dialogue.querysets import ChokepointQuerySet


class ChokepointTechnology(MarkedModel, VersionedModel, TimeStampedModel):
    """A technology the country holds and must not lose (チョークポイント技術)."""

    reference_key = models.SlugField(
        _("reference key"), max_length=80, unique=True, null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sector = models.ForeignKey(
        "dialogue.Sector",
        on_delete=models.PROTECT,
        related_name="chokepoints",
        verbose_name=_("sector"),
    )
    stage = models.CharField(
        _("supply-chain stage"), max_length=12, choices=SupplyChainStage.choices
    )
    holders = models.TextField(_("holders"), blank=True, help_text=_("Who holds the technology."))
    holder_organizations = models.ManyToManyField(
        "dialogue.Organization",
        blank=True,
        related_name="chokepoints",
        verbose_name=_("holding organizations"),
    )
    world_share_pct = models.DecimalField(
        _("world share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    outflow_concern = models.CharField(
        _("concern of outflow"),
        max_length=8,
        choices=ConcernLevel.choices,
        default=ConcernLevel.MEDIUM,
    )
    like_minded_holders = models.CharField(
        _("like-minded countries also holding it"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty when no like-minded country is known to hold it."),
    )
    # The plan's process: ① extraction (from which survey) → ② maintenance and promotion
    # (the support measures applied) → ③ institutional and policy response.
    process_stage = models.CharField(
        _("stage in the plan's process"),
        max_length=16,
        choices=ChokepointProcessStage.choices,
        default=ChokepointProcessStage.EXTRACTION,
        db_index=True,
    )
    survey = models.CharField(
        _("extracted by"),
        max_length=20,
        choices=ChokepointSurvey.choices,
        blank=True,
        help_text=_("The survey the technology came from."),
    )
    # Free text until support measures can be chosen from the support catalogue.
    support_measures = models.TextField(
        _("support measures applied"),
        blank=True,
        help_text=_("Dialogue between companies, support schemes, supply-chain measures …"),
    )
    review_on = models.DateField(
        _("review date"),
        null=True,
        blank=True,
        help_text=_("The sector lead (or the sector's officials) are reminded before it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="created_chokepoints",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords(m2m_fields=["holder_organizations", "named_users"])

    objects = ChokepointQuerySet.as_manager()

    class Meta:
        ordering = ["sector__sort_order", "name"]
        verbose_name = _("chokepoint technology")
        verbose_name_plural = _("chokepoint technologies")

    def __str__(self) -> str:
        return self.name
