from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.enums import ActionStatus, PolicyPillar, Priority
from dialogue.models.base import MarkedModel, TimeStampedModel, VersionedModel
from dialogue.querysets import FollowUpActionQuerySet


class FollowUpAction(MarkedModel, VersionedModel, TimeStampedModel):
    """A follow-up action agreed in a dialogue or raised from a concern or threat."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sector = models.ForeignKey(
        "dialogue.Sector",
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("sector"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_actions",
        verbose_name=_("owner"),
    )
    # The owner's organization when a company user owns the action (kept so that
    # visibility does not change if the person later moves).
    owner_organization = models.ForeignKey(
        "dialogue.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("owning organization"),
    )
    due_on = models.DateField(_("due date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM
    )
    pillar = models.CharField(_("policy pillar"), max_length=12, choices=PolicyPillar.choices)
    session = models.ForeignKey(
        "dialogue.DialogueSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("source session"),
    )
    threat = models.ForeignKey(
        "dialogue.Threat",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("source threat"),
    )
    concern = models.ForeignKey(
        "dialogue.Concern",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("source concern"),
    )
    completion_note = models.TextField(_("completion note"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_actions",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords(m2m_fields=["named_users"])

    objects = FollowUpActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["updated_at", "id"], name="action_updated_id"),
            # The dashboard's counts ("my open actions", "overdue in my sectors") read
            # these alone, without the table (PostgreSQL: the visibility columns are
            # included; other databases ignore `include`).
            models.Index(
                fields=["owner", "status"],
                include=["marking", "sector", "due_on", "id"],
                name="action_owner_status_cover",
            ),
            models.Index(
                fields=["sector", "status", "due_on"],
                include=["marking", "owner", "id"],
                name="action_sector_due_cover",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        from dialogue.enums import ActionStatus

        return self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS) and (
            self.due_on < timezone.localdate()
        )
