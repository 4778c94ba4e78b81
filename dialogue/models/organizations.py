from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.enums import OrganizationKind, SizeClass
from dialogue.models.base import TimeStampedModel
from dialogue.querysets import OrganizationQuerySet
from dialogue.validators import validate_corporate_number


class Organization(TimeStampedModel):
    """A company or an industry association taking part in the dialogue."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    corporate_number = models.CharField(
        _("corporate number"),
        max_length=13,
        unique=True,
        validators=[validate_corporate_number],
        help_text=_("The 13-digit corporate number (法人番号) issued by the National Tax Agency."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=OrganizationKind.choices)
    size_class = models.CharField(
        _("size"), max_length=8, choices=SizeClass.choices, default=SizeClass.LARGE
    )
    sectors = models.ManyToManyField(
        "dialogue.Sector", related_name="organizations", blank=True, verbose_name=_("sectors")
    )
    history = HistoricalRecords(m2m_fields=["sectors"])

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name
