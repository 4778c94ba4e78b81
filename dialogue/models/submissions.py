from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dialogue.querysets import OwnQuerySet


class SubmissionQuerySet(OwnQuerySet["PortalSubmission"]):
    owner_field = "user"


class PortalSubmission(models.Model):
    """Ledger of portal forms already processed, so that the same form sent twice acts once.

    Each concern or reply form carries a random key (a hidden field). The first request
    with that key inserts this row; a repeat, even one running at the same moment, hits
    the unique constraint and is sent to what the first one created.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    key = models.UUIDField(_("form key"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    concern = models.ForeignKey(
        "dialogue.Concern",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        verbose_name=_("concern"),
    )
    message = models.ForeignKey(
        "dialogue.ConcernMessage",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        verbose_name=_("concern message"),
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal submission")
        verbose_name_plural = _("portal submissions")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="portal_submission_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
