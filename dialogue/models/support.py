"""The support catalogue (支援機関・支援策): organizations and the schemes and tools they run.

Reference data loaded from fixtures/ (the plan's own lists) and maintained by the
secretariat in the workspace. Officials refer concerns to these (models/referrals.py);
companies read them in the portal's guidance ("which help fits my situation").
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.enums import DesiredSupport, SizeClass
from dialogue.models.base import BilingualNameMixin, TimeStampedModel, VersionedModel
from dialogue.querysets import ReferenceQuerySet


def _check_codes(values, allowed, field: str) -> None:
    if not isinstance(values, list) or any(v not in allowed for v in values):
        raise ValidationError(
            {field: _("Choose from the listed values.")},
            code="invalid_choice",
        )


class SupportEntry(BilingualNameMixin, VersionedModel, TimeStampedModel):
    """What an organization and a scheme both carry: names, what it offers, for whom."""

    # Stable key of a fixture row ("jetro"); empty for entries the secretariat adds.
    reference_key = models.SlugField(
        _("reference key"), max_length=80, unique=True, null=True, blank=True
    )
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_ja = models.TextField(_("what it offers (Japanese)"), blank=True)
    description_en = models.TextField(_("what it offers (English)"), blank=True)
    threat_categories = models.ManyToManyField(
        "dialogue.ThreatCategory",
        related_name="+",
        blank=True,
        verbose_name=_("threat codes"),
    )
    # No sector (or no size) means: for every sector (every size).
    sectors = models.ManyToManyField(
        "dialogue.Sector", related_name="+", blank=True, verbose_name=_("sectors")
    )
    # A list of SizeClass codes: a new size class needs no schema change.
    company_sizes = models.JSONField(_("company sizes"), default=list, blank=True)
    contact = models.CharField(_("contact or web address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self._localized("name")

    @property
    def description(self) -> str:
        return self._localized("description")

    @property
    def company_size_labels(self) -> list[str]:
        return [
            str(SizeClass(code).label) for code in self.company_sizes if code in SizeClass.values
        ]

    def clean(self) -> None:
        super().clean()
        _check_codes(self.company_sizes, set(SizeClass.values), "company_sizes")


class SupportOrganization(SupportEntry):
    """A support organization named by the plan (JETRO, NEXI, 中小機構 …)."""

    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    history = HistoricalRecords(m2m_fields=["threat_categories", "sectors"])

    class Meta:
        ordering = ["name_ja", "id"]
        verbose_name = _("support organization")
        verbose_name_plural = _("support organizations")

    def __str__(self) -> str:
        return f"{self.name}（{self.abbreviation}）" if self.abbreviation else self.name


class SupportScheme(SupportEntry):
    """A support scheme or tool (貿易保険, 海外サプライチェーン多元化等支援事業 …)."""

    organization = models.ForeignKey(
        SupportOrganization,
        on_delete=models.PROTECT,
        related_name="schemes",
        verbose_name=_("run by"),
    )
    # Which kinds of desired support it answers (DesiredSupport codes): concerns asking
    # for finance or business continuity are offered the schemes that give it.
    support_kinds = models.JSONField(_("kinds of support"), default=list, blank=True)
    history = HistoricalRecords(m2m_fields=["threat_categories", "sectors"])

    class Meta:
        ordering = ["name_ja", "id"]
        verbose_name = _("support scheme")
        verbose_name_plural = _("support schemes")

    @property
    def support_kind_labels(self) -> list[str]:
        return [
            str(DesiredSupport(code).label)
            for code in self.support_kinds
            if code in DesiredSupport.values
        ]

    def clean(self) -> None:
        super().clean()
        _check_codes(self.support_kinds, set(DesiredSupport.values), "support_kinds")
