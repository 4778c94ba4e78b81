from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from dialogue.enums import AgendaTopic, SessionFormat, SessionStatus
from dialogue.models.base import MarkedModel, TimeStampedModel, VersionedModel
from dialogue.querysets import DialogueSessionQuerySet, ParticipantQuerySet, SessionPartQuerySet


class DialogueSession(MarkedModel, VersionedModel, TimeStampedModel):
    """A strategic-dialogue meeting: a company hearing, a roundtable or an international talk."""

    title = models.CharField(_("title"), max_length=200)
    sectors = models.ManyToManyField(
        "dialogue.Sector", blank=True, related_name="sessions", verbose_name=_("sectors")
    )
    # International sessions belong to a forum and may name no sector (at least one of the two).
    forum = models.ForeignKey(
        "dialogue.Forum",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("international forum"),
    )
    held_on = models.DateField(_("date"), db_index=True)
    format = models.CharField(_("format"), max_length=24, choices=SessionFormat.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    participating_organizations = models.ManyToManyField(
        "dialogue.Organization",
        blank=True,
        related_name="sessions",
        verbose_name=_("participating organizations"),
    )
    minutes = models.TextField(_("minutes (Markdown)"), blank=True)
    chokepoints = models.ManyToManyField(
        "dialogue.ChokepointTechnology",
        blank=True,
        related_name="sessions",
        verbose_name=_("chokepoints discussed"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_sessions",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords(
        m2m_fields=["sectors", "participating_organizations", "chokepoints", "named_users"]
    )

    objects = DialogueSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("dialogue session")
        verbose_name_plural = _("dialogue sessions")

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class Participant(models.Model):
    """A person present at a session (officials and company representatives)."""

    session = models.ForeignKey(
        DialogueSession, on_delete=models.CASCADE, related_name="participants"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    organization = models.ForeignKey(
        "dialogue.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    affiliation = models.CharField(
        _("affiliation"), max_length=200, blank=True, help_text=_("Ministry, department or title.")
    )
    history = HistoricalRecords()

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    """One agenda item of a session: one of the plan's five dialogue items, or free text."""

    session = models.ForeignKey(
        DialogueSession, on_delete=models.CASCADE, related_name="agenda_items"
    )
    topic = models.CharField(_("topic"), max_length=24, choices=AgendaTopic.choices)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # What the item raises: a threat, a chokepoint (our advantage), a dependency (our
    # exposure). Each is shown only to readers who may see the linked record.
    threat = models.ForeignKey(
        "dialogue.Threat",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("threat"),
    )
    chokepoint = models.ForeignKey(
        "dialogue.ChokepointTechnology",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("chokepoint"),
    )
    dependency = models.ForeignKey(
        "dialogue.Dependency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("dependency"),
    )
    history = HistoricalRecords()

    objects = SessionPartQuerySet.as_manager()

    # The records an item may raise; every reader sees only those it may see.
    LINK_FIELDS = ("threat", "chokepoint", "dependency")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.get_topic_display()

    @classmethod
    def link_models(cls) -> dict[str, Any]:
        """Each link field with the model it points to (each has `visible_to`)."""
        return {name: cls._meta.get_field(name).related_model for name in cls.LINK_FIELDS}
