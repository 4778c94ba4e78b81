"""Reference data: threat codes, best practices, foreign measures (loaded from fixtures/)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.enums import DatePrecision, Marking, MeasureKind, MeasureStatus
from dialogue.models.base import BilingualNameMixin, TimeStampedModel
from dialogue.querysets import ForeignMeasureQuerySet, ReferenceQuerySet

# The families of issues the plan reports from METI's concentrated hearing of 56 companies
# (2023): "ヒアリングで明らかになった課題". Family 3 gathers threats the plan names elsewhere
# in its text, grouped by this product.
HEARING_FAMILIES = ("1", "2")


class ThreatCategory(BilingualNameMixin, models.Model):
    """A stable threat code such as "1-2" (people: retirees and former employees)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent code"),
    )
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_ja = models.TextField(_("explanation (Japanese)"), blank=True)
    description_en = models.TextField(_("explanation (English)"), blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    history = HistoricalRecords()

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("threat code")
        verbose_name_plural = _("threat codes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return self._localized("name")

    @property
    def description(self) -> str:
        return self._localized("description")

    @property
    def family_code(self) -> str:
        return self.code.split("-", 1)[0]

    @property
    def origin(self) -> str:
        """Where the code comes from, as the plan labels it."""
        if self.family_code in HEARING_FAMILIES:
            return str(_("Issue identified in the hearings"))
        return str(_("Added by this product from the plan's text"))


class BestPractice(BilingualNameMixin, models.Model):
    """One of the 17 best practices for technology protection (① … ⑰)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    threat_categories = models.ManyToManyField(
        ThreatCategory, related_name="best_practices", verbose_name=_("threat codes mitigated")
    )
    history = HistoricalRecords()

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("best practice")
        verbose_name_plural = _("best practices")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        return self._localized("title")

    @property
    def description(self) -> str:
        return self._localized("description")


class ForeignMeasure(BilingualNameMixin, TimeStampedModel):
    """A foreign regulation or measure (export control, investment rule …) affecting sectors."""

    reference_key = models.SlugField(
        _("reference key"), max_length=80, unique=True, null=True, blank=True
    )
    country_code = models.CharField(_("country or region"), max_length=2)
    kind = models.CharField(_("kind"), max_length=24, choices=MeasureKind.choices)
    title_ja = models.CharField(_("title (Japanese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    effective_on = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_(
            "In force from; for a planned measure the date it was announced, for a strategy "
            "the date it was published. A date known only to the month or the year is "
            "stored as its first day."
        ),
    )
    effective_precision = models.CharField(
        _("date precision"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.IN_FORCE
    )
    affects_all_sectors = models.BooleanField(
        _("affects all sectors"),
        default=False,
        help_text=_("Reaches every sector's companies, whatever sectors are linked."),
    )
    sectors = models.ManyToManyField(
        "dialogue.Sector", related_name="foreign_measures", blank=True, verbose_name=_("sectors")
    )
    threat_categories = models.ManyToManyField(
        ThreatCategory, related_name="foreign_measures", blank=True, verbose_name=_("threat codes")
    )
    marking = models.CharField(
        _("marking"), max_length=12, choices=Marking.choices, default=Marking.CLEAR
    )
    history = HistoricalRecords()

    objects = ForeignMeasureQuerySet.as_manager()

    class Meta:
        ordering = [models.F("effective_on").desc(nulls_last=True), "country_code"]
        verbose_name = _("foreign measure")
        verbose_name_plural = _("foreign measures")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        # A month or year is stored as its first day, so that ordering by date still works
        # and no page can show a day the source never gave.
        day = self.effective_on
        if day is None:
            return
        if self.effective_precision == DatePrecision.MONTH and day.day != 1:
            raise ValidationError(
                {"effective_on": _("A date known to the month is stored as the 1st.")}
            )
        if self.effective_precision == DatePrecision.YEAR and (day.month, day.day) != (1, 1):
            raise ValidationError(
                {"effective_on": _("A date known to the year is stored as 1 January.")}
            )

    @property
    def title(self) -> str:
        return self._localized("title")

    @property
    def description(self) -> str:
        return self._localized("description")
