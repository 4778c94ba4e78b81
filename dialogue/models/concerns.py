import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.business_days import add_business_days
from dialogue.enums import CONCERN_AWAITING_ANSWER, ConcernStatus, DesiredSupport, Marking
from dialogue.models.base import MarkedModel, TimeStampedModel, VersionedModel
from dialogue.querysets import ConcernAttachmentQuerySet, ConcernMessageQuerySet, ConcernQuerySet

# A concern's reference number as it appears in portal and API addresses: "2026-0003".
REFERENCE_PATTERN = r"[0-9]{4}-[0-9]{4,8}"


class Concern(MarkedModel, VersionedModel, TimeStampedModel):
    """A concern or request for consultation submitted by a company through the portal."""

    organization = models.ForeignKey(
        "dialogue.Organization",
        on_delete=models.PROTECT,
        related_name="concerns",
        verbose_name=_("organization"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="submitted_concerns",
        verbose_name=_("submitted by"),
    )
    sector = models.ForeignKey(
        "dialogue.Sector",
        on_delete=models.PROTECT,
        related_name="concerns",
        verbose_name=_("sector"),
    )
    category = models.ForeignKey(
        "dialogue.ThreatCategory",
        on_delete=models.PROTECT,
        related_name="concerns",
        verbose_name=_("threat code"),
    )
    # The organization's own number for the concern ("2026-0003": year of submission and a
    # counter within the organization and that year). Company users see only this number,
    # never the global id, which would tell them how many concerns every company has filed.
    # Assigned once by `concern_submit` (services/concerns.py) and never changed.
    reference = models.CharField(_("reference number"), max_length=16, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    desired_support = models.CharField(
        _("desired support"), max_length=24, choices=DesiredSupport.choices
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ConcernStatus.choices, default=ConcernStatus.SUBMITTED
    )
    # Concerns default to AMBER+STRICT: only the submitting organization and the sector's officials.
    marking = models.CharField(
        _("marking"), max_length=12, choices=Marking.choices, default=Marking.AMBER_STRICT
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_concerns",
        verbose_name=_("assigned official"),
    )
    # When an official first answered the company (internal notes do not count): the
    # first-response target (CONCERN_FIRST_RESPONSE_BUSINESS_DAYS) is met or missed by it.
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    # The foreign measures behind the concern, linked by its officials; the company sees
    # only their names.
    foreign_measures = models.ManyToManyField(
        "dialogue.ForeignMeasure",
        related_name="concerns",
        blank=True,
        verbose_name=_("foreign measures"),
    )
    history = HistoricalRecords(m2m_fields=["named_users", "foreign_measures"])

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        indexes = [
            models.Index(fields=["sector", "category"]),
            models.Index(fields=["updated_at", "id"], name="concern_updated_id"),
            # New concerns of a sector, counted and listed oldest first on the dashboard,
            # from the index alone (see FollowUpAction's covering indexes).
            models.Index(
                fields=["sector", "status", "created_at"],
                include=["marking", "id"],
                name="concern_sector_status_cover",
            ),
            # Concerns still waiting for their first answer (`first_response_overdue`): few
            # rows, read by sector and age on the dashboard and the inbox.
            models.Index(
                fields=["sector", "created_at"],
                condition=models.Q(
                    first_answered_at__isnull=True, status__in=CONCERN_AWAITING_ANSWER
                ),
                name="concern_awaiting_first_answer",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"], name="concern_reference_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def first_response_due_on(self) -> datetime.date:
        """The last day of the first-response target, in business days after submission."""
        submitted = timezone.localdate(self.created_at)
        return add_business_days(submitted, settings.CONCERN_FIRST_RESPONSE_BUSINESS_DAYS)

    @property
    def first_response_overdue(self) -> bool:
        waiting = self.first_answered_at is None and self.status in CONCERN_AWAITING_ANSWER
        return waiting and timezone.localdate() > self.first_response_due_on


class ConcernMessage(TimeStampedModel):
    """A message on a concern's thread; internal notes are never shown to company users."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="concern_messages",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"))
    is_internal = models.BooleanField(
        _("internal note"),
        default=False,
        help_text=_("Internal notes are visible to officials only."),
    )
    history = HistoricalRecords()

    objects = ConcernMessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("concern message")
        verbose_name_plural = _("concern messages")

    def __str__(self) -> str:
        return f"#{self.pk} on {self.concern_id}"


def attachment_path(instance: "ConcernAttachment", filename: str) -> str:
    # The stored name is generated; the user's file name is kept only in `original_name`.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"concerns/{instance.concern_id}/{uuid.uuid4().hex}{suffix}"


class ConcernAttachment(TimeStampedModel):
    """A file attached to a concern, stored outside the web root under a generated name."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        ConcernMessage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    history = HistoricalRecords()

    objects = ConcernAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
