"""Building blocks shared by the domain models."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dialogue.enums import Marking


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class MarkedModel(models.Model):
    """A record that carries a TLP 2.0 marking and, for RED, the people named on it."""

    marking = models.CharField(
        _("marking"), max_length=12, choices=Marking.choices, default=Marking.AMBER
    )
    named_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("named people"),
        help_text=_("For RED items: the only people who may see the item."),
    )

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """Optimistic concurrency: every save through a service bumps `version`."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class BilingualNameMixin:
    """Pick `name_ja` or `name_en` (or title_*) by the active language."""

    def _localized(self, field: str) -> str:
        language = (translation.get_language() or "ja")[:2]
        preferred = getattr(self, f"{field}_{'en' if language == 'en' else 'ja'}", "")
        return preferred or getattr(self, f"{field}_ja", "")
