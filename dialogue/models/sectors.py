from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.enums import SectorKind
from dialogue.models.base import BilingualNameMixin
from dialogue.querysets import ReferenceQuerySet


class Sector(BilingualNameMixin, models.Model):
    """A technology domain or an industrial sector (domain > sector)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SectorKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent domain"),
    )
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    designated_critical_product = models.BooleanField(
        _("designated critical product"), default=False
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    lead = models.ForeignKey(
        "dialogue.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_sectors",
        verbose_name=_("sector lead"),
        help_text=_("The official to whom long-overdue actions escalate."),
    )
    history = HistoricalRecords()

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self._localized("name")
