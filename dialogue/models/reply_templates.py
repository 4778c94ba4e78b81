from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.models.base import TimeStampedModel
from dialogue.querysets import ReplyTemplateQuerySet


class ReplyTemplate(TimeStampedModel):
    """A reply officials start from when they answer a concern: for one sector's concerns,
    or for every sector's. Kept by the secretariat in the admin."""

    sector = models.ForeignKey(
        "dialogue.Sector",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reply_templates",
        verbose_name=_("sector"),
        help_text=_("Leave empty to offer it for every sector's concerns."),
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))

    objects = ReplyTemplateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")

    def __str__(self) -> str:
        return self.title
