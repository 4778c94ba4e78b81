from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dialogue.models.base import TimeStampedModel
from dialogue.querysets import SavedFilterQuerySet


class SavedFilter(TimeStampedModel):
    """A list's filters and sort, saved by one person under a name of their choosing.

    Only the query string is kept: opening it runs the list as always, through the list's
    own filters and `visible_to`, so a saved filter shows nothing its owner may not see.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_filters",
        verbose_name=_("user"),
    )
    list_name = models.CharField(_("list"), max_length=60)
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=1000, blank=True)

    objects = SavedFilterQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "list_name", "name"], name="saved_filter_name_once_per_list"
            )
        ]

    def __str__(self) -> str:
        return self.name
