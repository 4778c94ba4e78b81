"""Outreach notices (周知・発信) from officials to the companies of a sector, their read
receipts, and the ledger of the e-mails that announce them."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.enums import Marking, NoticeAudience, NoticeKind, NoticeStatus, SizeClass
from dialogue.models.base import BilingualNameMixin, TimeStampedModel, VersionedModel
from dialogue.models.notifications import DeliveryModel
from dialogue.querysets import NoticeMailQuerySet, NoticeQuerySet, NoticeReadQuerySet

# Markings a notice to companies may carry: what may be shown to a sector's companies.
COMPANY_MARKINGS = (Marking.CLEAR, Marking.GREEN)


def encode_size_classes(codes: Iterable[str]) -> str:
    """Size-class codes as stored: ",large,sme," (sorted, delimited on both sides).

    A delimited string rather than choices in the schema: a size class added to
    SizeClass needs no migration here, and `contains=",sme,"` matches on every database.
    """
    unique = sorted({code for code in codes if code})
    return f",{','.join(unique)}," if unique else ""


class Notice(BilingualNameMixin, VersionedModel, TimeStampedModel):
    """A notice to the companies of some sectors, sizes and threat codes: a compliance
    rule, a best-practice set, chokepoint awareness or a foreign-measure alert."""

    kind = models.CharField(_("kind"), max_length=24, choices=NoticeKind.choices)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_ja = models.TextField(_("text (Japanese)"), help_text=_("Markdown, as in minutes."))
    body_en = models.TextField(_("text (English)"), help_text=_("Markdown, as in minutes."))
    audience = models.CharField(
        _("audience"),
        max_length=12,
        choices=NoticeAudience.choices,
        default=NoticeAudience.COMPANIES,
    )
    sectors = models.ManyToManyField(
        "dialogue.Sector", related_name="notices", verbose_name=_("sectors")
    )
    size_classes = models.CharField(
        _("company sizes"), max_length=200, help_text=_("Stored as ,code,code,")
    )
    threat_categories = models.ManyToManyField(
        "dialogue.ThreatCategory",
        blank=True,
        related_name="notices",
        verbose_name=_("threat codes"),
        help_text=_("Leave empty for every company of the sectors and sizes."),
    )
    foreign_measures = models.ManyToManyField(
        "dialogue.ForeignMeasure",
        blank=True,
        related_name="notices",
        verbose_name=_("foreign measures"),
    )
    best_practices = models.ManyToManyField(
        "dialogue.BestPractice",
        blank=True,
        related_name="notices",
        verbose_name=_("best practices"),
    )
    chokepoints = models.ManyToManyField(
        "dialogue.ChokepointTechnology",
        blank=True,
        related_name="notices",
        verbose_name=_("chokepoint technologies"),
    )
    marking = models.CharField(
        _("marking"), max_length=12, choices=Marking.choices, default=Marking.GREEN
    )
    publish_on = models.DateField(
        _("publication date"),
        default=timezone.localdate,
        help_text=_("A published notice appears to companies from this date."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="authored_notices",
        verbose_name=_("author"),
    )
    history = HistoricalRecords(m2m_fields=["sectors", "threat_categories"])

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_on", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["status", "publish_on"], name="notice_status_publish_on")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self._localized("title")

    @property
    def body(self) -> str:
        return self._localized("body")

    @property
    def size_class_codes(self) -> list[str]:
        return [code for code in self.size_classes.split(",") if code]

    @property
    def size_class_labels(self) -> list[str]:
        labels = dict(SizeClass.choices)
        return [str(labels.get(code, code)) for code in self.size_class_codes]

    @property
    def for_companies(self) -> bool:
        return self.audience == NoticeAudience.COMPANIES

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        codes = self.size_class_codes
        if not codes:
            errors["size_classes"] = [_("Choose at least one company size.")]
        unknown = sorted(set(codes) - set(SizeClass.values))
        if unknown:
            errors.setdefault("size_classes", []).append(
                _("Unknown company size: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        if self.for_companies and self.marking not in COMPANY_MARKINGS:
            errors["marking"] = [
                _("A notice to companies can be marked TLP:CLEAR or TLP:GREEN only.")
            ]
        if self.marking == Marking.RED:
            errors["marking"] = [_("A notice cannot be marked TLP:RED.")]
        if errors:
            raise ValidationError(errors)


class NoticeRead(models.Model):
    """A read receipt: the first time a person opened a notice."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_reads"
    )
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    objects = NoticeReadQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice read receipt")
        verbose_name_plural = _("notice read receipts")
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="notice_read_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} ← {self.user_id}"


class NoticeMail(DeliveryModel):
    """One notice owed to one person by e-mail; rows of a person are sent together, as
    often as the person chose (immediately, daily, weekly)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="mails")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_mails"
    )

    objects = NoticeMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice e-mail")
        verbose_name_plural = _("notice e-mails")
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "recipient"], name="notice_mail_once_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.recipient_id}"
