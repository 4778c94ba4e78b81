"""Once-only delivery: ledgers and outboxes for reminders, notifications and digests.

Each row is written before its e-mail is sent and marked sent after. A unique
constraint makes a second sweep, a second beat or a redelivered task find the
row already there; a claim (token + time) keeps two workers from sending the
same row at the same moment, and lets a redelivered task finish what it claimed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dialogue.enums import (
    DigestFrequency,
    JobKind,
    NotificationEvent,
    ReferralWait,
    ReminderKind,
)
from dialogue.querysets import (
    ChokepointReviewReminderQuerySet,
    DigestQuerySet,
    NotificationQuerySet,
    OperationsQuerySet,
    ReferralReminderQuerySet,
    ReminderQuerySet,
)


class DeliveryModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claim_token = models.CharField(_("claimed by"), max_length=64, blank=True, db_index=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        abstract = True


class Reminder(DeliveryModel):
    """One reminder per (action, kind, due date): a changed due date earns new reminders."""

    action = models.ForeignKey(
        "dialogue.FollowUpAction", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ReminderKind.choices)
    due_on = models.DateField(_("due date"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "kind", "due_on"], name="reminder_once_per_action_kind_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.action_id} {self.due_on}"


class ChokepointReviewReminder(DeliveryModel):
    """One reminder per (chokepoint, review date, recipient): a new review date earns a new one."""

    chokepoint = models.ForeignKey(
        "dialogue.ChokepointTechnology", on_delete=models.CASCADE, related_name="review_reminders"
    )
    review_on = models.DateField(_("review date"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_reminders"
    )

    objects = ChokepointReviewReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("chokepoint review reminder")
        verbose_name_plural = _("chokepoint review reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["chokepoint", "review_on", "recipient"],
                name="review_reminder_once_per_chokepoint_date_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.chokepoint_id} {self.review_on} → {self.recipient_id}"


class ReferralReminder(DeliveryModel):
    """One reminder per (referral, wait, start of the wait) to the concern's assigned official."""

    referral = models.ForeignKey(
        "dialogue.Referral", on_delete=models.CASCADE, related_name="reminders"
    )
    wait = models.CharField(_("waiting for"), max_length=8, choices=ReferralWait.choices)
    waiting_since = models.DateTimeField(_("waiting since"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_reminders"
    )

    objects = ReferralReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral reminder")
        verbose_name_plural = _("referral reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "wait", "waiting_since"],
                name="referral_reminder_once_per_wait",
            )
        ]

    def __str__(self) -> str:
        return f"{self.wait} {self.referral_id} {self.waiting_since:%Y-%m-%d}"


class Notification(DeliveryModel):
    """An e-mail owed to one person about one event (new concern, reply, status change)."""

    event = models.CharField(_("event"), max_length=20, choices=NotificationEvent.choices)
    # Identifies the event: e.g. "message:42" or "status:17:answered".
    event_key = models.CharField(_("event key"), max_length=80)
    concern = models.ForeignKey(
        "dialogue.Concern", on_delete=models.CASCADE, related_name="notifications"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient"], name="notification_once_per_event_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_key} → {self.recipient_id}"


class Digest(DeliveryModel):
    """One plan-revision digest per recipient per period, kept for the workspace."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    frequency = models.CharField(_("frequency"), max_length=8, choices=DigestFrequency.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    since_revision = models.ForeignKey(
        "dialogue.PlanRevision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changes since revision"),
    )
    marking = models.CharField(_("marking"), max_length=12)
    content = models.JSONField(_("content"), default=dict)

    objects = DigestQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "frequency", "period_start"],
                name="digest_once_per_recipient_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.period_start}–{self.period_end}"


class JobRun(models.Model):
    """One run of a sweep, a digest round or a dispatch, for operators."""

    kind = models.CharField(_("kind"), max_length=16, choices=JobKind.choices)
    token = models.CharField(_("run id"), max_length=64)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    queued = models.PositiveIntegerField(_("rows queued"), default=0)
    sent = models.PositiveIntegerField(_("e-mails sent"), default=0)
    failed = models.PositiveIntegerField(_("failures"), default=0)
    error = models.TextField(_("error"), blank=True)

    objects = OperationsQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")

    def __str__(self) -> str:
        return f"{self.kind} {self.started_at:%Y-%m-%d %H:%M}"
