"""International forums (国際フォーラム): the plan's own track of dialogue with counterparts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.countries import country_name, is_country_code
from dialogue.models.base import BilingualNameMixin, TimeStampedModel
from dialogue.querysets import ForumQuerySet


def validate_country_codes(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Give the counterpart countries as a list of codes."))
    unknown = [code for code in value if not is_country_code(code)]
    if unknown:
        raise ValidationError(
            _("Unknown country code: %(codes)s."), params={"codes": ", ".join(unknown)}
        )


class Forum(BilingualNameMixin, TimeStampedModel):
    """A standing international forum (日米経済版「２＋２」, G7 …) with its counterparts and the
    agenda Japan presents there ("フォーラム毎に適したアジェンダを戦略的に提示する")."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    counterpart_countries = models.JSONField(
        _("counterpart countries"),
        default=list,
        blank=True,
        validators=[validate_country_codes],
        help_text=_("ISO 3166 codes such as US, KR; EU for the European Union."),
    )
    standing_agenda_ja = models.TextField(_("standing agenda (Japanese)"), blank=True)
    standing_agenda_en = models.TextField(_("standing agenda (English)"), blank=True)
    officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="forums",
        verbose_name=_("responsible officials"),
        help_text=_(
            "Officials who work on this forum: they record its sessions and see its "
            "AMBER sessions that name no sector of theirs."
        ),
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    history = HistoricalRecords(m2m_fields=["officials"])

    objects = ForumQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("international forum")
        verbose_name_plural = _("international forums")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self._localized("name")

    @property
    def standing_agenda(self) -> str:
        return self._localized("standing_agenda")

    @property
    def counterparts(self) -> list[str]:
        """The counterpart countries' names in the active language."""
        return [country_name(code) for code in self.counterpart_countries]
