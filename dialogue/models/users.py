from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.enums import DigestFrequency, Language, NoticeFrequency, Role
from dialogue.names import person_name
from dialogue.querysets import UserQuerySet, forget_reader_ids

if TYPE_CHECKING:
    # mypy takes no `from_queryset(...)` call as a base class (django-stubs#2224): the
    # same base, spelled out for it.
    class _UserManagerWithQueries(UserManager["User"]):
        def visible_to(self, user: "User") -> UserQuerySet["User"]: ...

else:
    _UserManagerWithQueries = UserManager.from_queryset(UserQuerySet)


class DialogueUserManager(_UserManagerWithQueries):
    def create_superuser(
        self,
        username: str,
        email: str | None = None,
        password: str | None = None,
        **extra_fields: Any,
    ) -> "User":
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person: a company user of one organization, an official, or an administrator."""

    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.COMPANY)
    organization = models.ForeignKey(
        "dialogue.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organization"),
    )
    is_org_admin = models.BooleanField(
        _("organization portal admin"),
        default=False,
        help_text=_("May invite colleagues of the same organization."),
    )
    sectors = models.ManyToManyField(
        "dialogue.Sector",
        blank=True,
        related_name="officials",
        verbose_name=_("assigned sectors"),
        help_text=_("For sector officials: the sectors (or whole domains) they work on."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.JA
    )
    digest_frequency = models.CharField(
        _("plan-revision digest"),
        max_length=8,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    digest_sectors = models.ManyToManyField(
        "dialogue.Sector",
        blank=True,
        related_name="+",
        verbose_name=_("digest sectors"),
        help_text=_("Leave empty for every sector you may see."),
    )
    notice_frequency = models.CharField(
        _("e-mails about notices"),
        max_length=10,
        choices=NoticeFrequency.choices,
        default=NoticeFrequency.WEEKLY,
        help_text=_("How often you are e-mailed about new notices for your organization."),
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"], m2m_fields=["sectors"])

    objects: ClassVar[DialogueUserManager] = DialogueUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        """Family name first (e-mail greetings, the admin): see dialogue.names."""
        return person_name(self)

    def get_short_name(self) -> str:
        """The family name, as a Japanese office greets a person; else the full name."""
        return (self.last_name or "").strip() or person_name(self)

    def clean(self) -> None:
        super().clean()
        if self.role == Role.COMPANY and self.organization_id is None:
            raise ValidationError(
                {"organization": _("A company user belongs to one organization.")}
            )
        if self.role != Role.COMPANY and self.organization_id is not None:
            raise ValidationError(
                {"organization": _("Only company users belong to an organization.")}
            )
        if self.is_org_admin and self.role != Role.COMPANY:
            raise ValidationError(
                {"is_org_admin": _("Only company users can be organization admins.")}
            )

    @property
    def is_company_user(self) -> bool:
        return self.role == Role.COMPANY

    @property
    def is_official(self) -> bool:
        return self.role in (Role.OFFICIAL, Role.SECRETARIAT, Role.ADMIN)

    def refresh_from_db(self, *args, **kwargs) -> None:
        # Reloaded: its sectors and forums are read again too (querysets.reader_ids).
        forget_reader_ids(self)
        super().refresh_from_db(*args, **kwargs)

    @property
    def is_secretariat(self) -> bool:
        """The secretariat (and administrators) work on every sector, only while active.

        The one definition: permissions.is_secretariat and querysets.py read it here,
        so a deactivated secretariat account loses every secretariat right at once."""
        return self.is_active and (self.is_superuser or self.role in (Role.SECRETARIAT, Role.ADMIN))
