from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.countries import country_name
from dialogue.enums import FigurePrecision, ShareBasis, SupplyChainStage
from dialogue.models.base import MarkedModel, TimeStampedModel, VersionedModel
from dialogue.querysets import DependencyQuerySet
from dialogue.validators import validate_country_code, validate_hs_code


class Dependency(MarkedModel, VersionedModel, TimeStampedModel):
    """How much of one product Japan gets from one country in one year (依存・特定国依存).

    The opposite of a chokepoint: a chokepoint is what the country holds and others need;
    a dependency is what it needs from others. One row per product × country × year ×
    basis, so a trade-statistics file can be imported again without duplicating rows.
    """

    reference_key = models.SlugField(
        _("reference key"), max_length=80, unique=True, null=True, blank=True
    )
    product = models.CharField(_("product or material"), max_length=200)
    hs_code = models.CharField(
        _("HS code"),
        max_length=9,
        blank=True,
        validators=[validate_hs_code],
        help_text=_("4, 6 or 9 digits; leave empty when the product has no HS code."),
    )
    sector = models.ForeignKey(
        "dialogue.Sector",
        on_delete=models.PROTECT,
        related_name="dependencies",
        verbose_name=_("sector (designated critical product)"),
    )
    stage = models.CharField(
        _("supply-chain stage"), max_length=12, choices=SupplyChainStage.choices
    )
    country = models.CharField(
        _("supplier country"),
        max_length=2,
        validators=[validate_country_code],
        help_text=_("ISO 3166-1 alpha-2 code, e.g. CN."),
    )
    share_pct = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    basis = models.CharField(
        _("share of"), max_length=16, choices=ShareBasis.choices, default=ShareBasis.JAPAN_IMPORTS
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    import_value = models.DecimalField(
        _("import value"),
        max_digits=18,
        decimal_places=0,
        null=True,
        blank=True,
        help_text=_("From trade statistics, in the unit of the file (e.g. thousand yen)."),
    )
    source = models.CharField(_("source"), max_length=300)
    source_passage = models.TextField(_("source passage"), blank=True)
    precision = models.CharField(
        _("precision"),
        max_length=12,
        choices=FigurePrecision.choices,
        default=FigurePrecision.STATISTICS,
    )
    threats = models.ManyToManyField(
        "dialogue.Threat", blank=True, related_name="dependencies", verbose_name=_("threats")
    )
    concerns = models.ManyToManyField(
        "dialogue.Concern", blank=True, related_name="dependencies", verbose_name=_("concerns")
    )
    chokepoints = models.ManyToManyField(
        "dialogue.ChokepointTechnology",
        blank=True,
        related_name="dependencies",
        verbose_name=_("chokepoint technologies"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="created_dependencies",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords(m2m_fields=["threats", "concerns", "chokepoints", "named_users"])

    objects = DependencyQuerySet.as_manager()

    class Meta:
        ordering = ["sector__sort_order", "product", "-year", "-share_pct"]
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "product", "hs_code", "country", "year", "basis"],
                name="dependency_once_per_product_country_year",
            ),
            models.CheckConstraint(
                condition=models.Q(share_pct__gte=0) & models.Q(share_pct__lte=100),
                name="dependency_share_0_to_100",
            ),
        ]
        indexes = [models.Index(fields=["sector", "product", "year"])]

    def __str__(self) -> str:
        return f"{self.product} — {self.country_name} {self.year}"

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def label(self) -> str:
        """The figure in a line: product — country year share%."""
        share = f"{self.share_pct.normalize():f}" if self.share_pct is not None else "?"
        return f"{self.product} — {self.country_name} {self.year} {share}%"
