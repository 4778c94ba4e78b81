"""Who may see what: the one place that decides visibility (DOMAIN.md, "Who may see what").

Every page, API endpoint, export, digest, e-mail and search starts from
`Model.objects.visible_to(user)`. Rules, by TLP 2.0 marking:

| marking      | officials                          | company users                                  |
|--------------|------------------------------------|------------------------------------------------|
| CLEAR        | all officials                      | all portal users                               |
| GREEN        | all officials                      | users of organizations active in its sectors   |
| AMBER        | secretariat + its sectors' officials | users of its organizations                   |
| AMBER+STRICT | secretariat + its sectors' officials | users of the one organization it belongs to  |
| RED          | only the people named on it        | only the people named on it                    |

Deny by default: anonymous, inactive or role-less users see nothing. The reader's
own sectors and forums are read once per user object (`reader_ids`) and written into
the SQL as constants; everything else is a subquery, so the filter adds no query per
row and no duplicate rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from dialogue.business_days import earliest_still_on_time
from dialogue.enums import (
    CONCERN_AWAITING_ANSWER,
    ActionStatus,
    Marking,
    NoticeAudience,
    NoticeStatus,
    Role,
    SessionStatus,
)

if TYPE_CHECKING:
    from django.db.models.fields.related import ManyToManyField

    from dialogue.models import Sector, User

# Each queryset is generic in its model: `as_manager()` binds it (django-stubs).
_M = TypeVar("_M", bound=models.Model)

NOTHING = Q(pk__in=[])
READER_IDS = "_reader_ids"  # where `reader_ids` keeps its lists on a user object


def _model(name: str) -> Any:
    """A model of this app through the app registry: the models import this module, so
    it cannot import them. (Any: the registry's type, `type[Model]`, has no `objects`;
    callers' return types say what they hand back.)"""
    return apps.get_model("dialogue", name)


def _is_signed_in(user: object) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
    )


def visible_rows(model: type[_M], user: User) -> models.QuerySet[_M]:
    """`model.objects.visible_to(user)` for a model known only at run time (every model's
    manager has `visible_to`; the type of a bare model class cannot say so)."""
    return cast(Any, model).objects.visible_to(user)


def reader_ids(user: User, name: str, query: models.QuerySet[Any, Any]) -> list[int]:
    """The ids `query` selects for `user` (its sectors, its forums…), read once per user
    object. A request or a task loads its user afresh, so the list is never older than
    the request; `forget_reader_ids` drops it (and `User.refresh_from_db` calls it)."""
    memo = user.__dict__.setdefault(READER_IDS, {})
    if name not in memo:
        memo[name] = list(query.values_list("pk", flat=True))
    return memo[name]


def _remembered_condition(user: User, key: tuple, build: Callable[[], Q]) -> Q:
    """A visibility condition built once per user object (beside its `reader_ids`): a Q
    is copied, never changed, by every query that resolves it."""
    memo = user.__dict__.setdefault(READER_IDS, {})
    if key not in memo:
        memo[key] = build()
    return memo[key]


def forget_reader_ids(user: User) -> None:
    user.__dict__.pop(READER_IDS, None)


def official_sector_id_list(user: User) -> list[int]:
    """`official_sector_ids` as a list of ids, read once per user object."""
    return reader_ids(user, "official_sectors", official_sector_ids(user))


def organization_sector_id_list(user: User) -> list[int]:
    """The sectors of the user's organization as a list of ids, read once per user object."""
    return reader_ids(user, "organization_sectors", organization_sector_ids(user.organization_id))


def official_sector_ids(user: User) -> models.QuerySet[Sector, Any]:
    """The sectors an official works on: assigned sectors and the children of assigned domains."""
    Sector = _model("Sector")
    return Sector.objects.filter(Q(officials=user) | Q(parent__officials=user)).values("pk")


def organization_sector_ids(organization_id: int | None) -> models.QuerySet[Sector, Any]:
    Sector = _model("Sector")
    return Sector.objects.filter(organizations=organization_id).values("pk")


class MarkedQuerySet(models.QuerySet[_M]):
    """Visibility for records with a TLP marking.

    Subclasses say where an item's sectors and organizations are:
    `sector_field` / `organization_field` name a ForeignKey or a ManyToManyField.
    """

    sector_field: str = "sector"
    organization_field: str | None = None
    has_named_users: bool = True
    # The condition depends only on the user: built once per user object.
    remember_condition: bool = True

    def visible_to(self, user: User) -> Self:
        if not _is_signed_in(user):
            return self.none()
        if not self.remember_condition:
            return self.filter(self.visibility_condition(user))
        # Keyed by what the rules read from the user object itself.
        key = (type(self), self.model, user.role, user.is_secretariat, user.organization_id)
        return self.filter(
            _remembered_condition(user, key, lambda: self.visibility_condition(user))
        )

    # -- the rules ---------------------------------------------------------
    def visibility_condition(self, user: User) -> Q:
        if user.is_secretariat:
            return ~Q(marking=Marking.RED) | self._named(user)
        if user.role == Role.OFFICIAL:
            return (
                Q(marking__in=[Marking.CLEAR, Marking.GREEN])
                | Q(marking__in=[Marking.AMBER, Marking.AMBER_STRICT])
                & self._in_sectors(official_sector_id_list(user))
                | self._named(user)
            )
        if user.role == Role.COMPANY:
            return self.company_condition(user)
        return NOTHING

    def company_condition(self, user: User) -> Q:
        org_id = user.organization_id
        if org_id is None:
            return self._named(user)
        return (
            Q(marking=Marking.CLEAR)
            | Q(marking=Marking.GREEN) & self._in_sectors(organization_sector_id_list(user))
            | Q(marking=Marking.AMBER) & self._belongs_to(org_id)
            | Q(marking=Marking.AMBER_STRICT) & self._belongs_only_to(org_id)
            | self._named(user)
        )

    # -- building blocks ---------------------------------------------------
    def _named(self, user: User) -> Q:
        if not self.has_named_users:
            return NOTHING
        # A plain (uncorrelated) subquery: cheaper to build than EXISTS, and PostgreSQL
        # reads the few rows naming this user once instead of probing per row.
        through, source, target = self._through("named_users")
        named = through._default_manager.filter(**{target: user.pk}).values(source)
        return Q(marking=Marking.RED, pk__in=named)

    def _in_sectors(self, sector_ids: list[int]) -> Q:
        return self._related_in(self.sector_field, sector_ids)

    def _belongs_to(self, org_id: int) -> Q:
        if self.organization_field is None:
            return NOTHING
        return self._related_in(self.organization_field, [org_id])

    def _belongs_only_to(self, org_id: int) -> Q:
        """The item belongs to exactly one organization, and it is `org_id`."""
        if self.organization_field is None:
            return NOTHING
        field = self.model._meta.get_field(self.organization_field)
        if not field.many_to_many:
            return Q(**{self.organization_field: org_id})
        through, source, target = self._through(self.organization_field)
        others = through._default_manager.filter(**{source: OuterRef("pk")}).exclude(
            **{target: org_id}
        )
        return self._m2m_exists(self.organization_field, [org_id]) & ~Q(Exists(others))

    def _related_in(self, field_name: str, ids: Any) -> Q:
        field = self.model._meta.get_field(field_name)
        if field.many_to_many:
            return self._m2m_exists(field_name, ids)
        return Q(**{f"{field_name}__in": ids})

    def _m2m_exists(self, field_name: str, ids: Any) -> Q:
        through, source, target = self._through(field_name)
        return Q(
            Exists(
                through._default_manager.filter(**{source: OuterRef("pk"), f"{target}__in": ids})
            )
        )

    def _through(self, field_name: str) -> tuple[type[models.Model], str, str]:
        field = cast("ManyToManyField[Any, Any]", self.model._meta.get_field(field_name))
        # Set (never None) once the models are loaded.
        through = cast("type[models.Model]", field.remote_field.through)
        return through, field.m2m_field_name(), field.m2m_reverse_field_name()


class ThreatQuerySet(MarkedQuerySet[_M]):
    sector_field = "sector"


class ChokepointQuerySet(MarkedQuerySet[_M]):
    sector_field = "sector"
    organization_field = "holder_organizations"


class DependencyQuerySet(MarkedQuerySet[_M]):
    """Dependency figures: by marking and sector; they belong to no organization, so AMBER
    and AMBER+STRICT figures stay with the officials of their sector."""

    sector_field = "sector"


def forum_ids_of(user: User) -> list[int]:
    """The international forums an official is responsible for."""
    return reader_ids(user, "forums", _model("Forum").objects.filter(officials=user))


class DialogueSessionQuerySet(MarkedQuerySet[_M]):
    """Sessions: by their sectors, and for international sessions also by their forum.

    An international session may name no sector. Its AMBER and AMBER+STRICT rows are seen
    by the secretariat, by the officials of any sector it names, and by the officials
    responsible for its forum (docs/forums.md); company users still see only sessions
    their organization took part in.
    """

    sector_field = "sectors"
    organization_field = "participating_organizations"

    def upcoming(self, today: datetime.date) -> Self:
        """Planned for today or later."""
        return self.filter(held_on__gte=today, status=SessionStatus.PLANNED)

    def recent(self, today: datetime.date) -> Self:
        """Held on or before today, except today's sessions still planned (upcoming)."""
        return self.filter(held_on__lte=today).exclude(held_on=today, status=SessionStatus.PLANNED)

    def visibility_condition(self, user: User) -> Q:
        condition = super().visibility_condition(user)
        if user.role == Role.OFFICIAL:
            condition |= Q(marking__in=[Marking.AMBER, Marking.AMBER_STRICT]) & Q(
                forum__in=forum_ids_of(user)
            )
        return condition

    def company_condition(self, user: User) -> Q:
        # Company users see only sessions their organization took part in.
        if user.organization_id is None:
            return NOTHING
        took_part = self._belongs_to(user.organization_id)
        return took_part & super().company_condition(user)


class ConcernQuerySet(MarkedQuerySet[_M]):
    sector_field = "sector"
    organization_field = "organization"

    def company_condition(self, user: User) -> Q:
        # A concern is never shown to another organization, whatever its marking.
        if user.organization_id is None:
            return NOTHING
        own = Q(organization_id=user.organization_id)
        return own & (~Q(marking=Marking.RED) | self._named(user))

    def first_response_overdue(self, today: datetime.date | None = None) -> Self:
        """Open concerns nobody has answered yet, past their first-response target."""
        cutoff = earliest_still_on_time(
            today or timezone.localdate(), settings.CONCERN_FIRST_RESPONSE_BUSINESS_DAYS
        )
        start_of_cutoff = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time()))
        return self.filter(
            first_answered_at__isnull=True,
            status__in=CONCERN_AWAITING_ANSWER,
            created_at__lt=start_of_cutoff,
        )


class FollowUpActionQuerySet(MarkedQuerySet[_M]):
    sector_field = "sector"
    organization_field = "owner_organization"

    def visibility_condition(self, user: User) -> Q:
        # The owner sees the action they must carry out, unless it is RED: RED is for its
        # named people only, so a RED action's owner sees it only when named on it.
        return super().visibility_condition(user) | Q(owner=user) & ~Q(marking=Marking.RED)

    def open(self) -> Self:
        return self.filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])

    def overdue(self, today: datetime.date | None = None) -> Self:
        return self.open().filter(due_on__lt=today or timezone.localdate())


class ForeignMeasureQuerySet(MarkedQuerySet[_M]):
    sector_field = "sectors"
    has_named_users = False

    def _in_sectors(self, sector_ids: list[int]) -> Q:
        # A measure that affects all sectors is in every sector: anyone active in at least
        # one sector is in its audience.
        if not sector_ids:
            return NOTHING
        return super()._in_sectors(sector_ids) | Q(affects_all_sectors=True)

    def affecting(self, sectors: models.QuerySet[Sector, Any]) -> Self:
        """Measures that affect any of `sectors`: linked to one of them or to its domain,
        or affecting all sectors."""
        through, source, target = self._through("sectors")
        linked = through._default_manager.filter(**{source: OuterRef("pk")}).filter(
            Q(**{f"{target}__in": sectors.values("pk")})
            | Q(**{f"{target}__in": sectors.values("parent")})
        )
        return self.filter(Q(Exists(linked)) | Q(affects_all_sectors=True) & Q(Exists(sectors)))

    def latest_first(self) -> Self:
        # Undated measures last on every database (PostgreSQL sorts NULL first when descending).
        return self.order_by(
            models.F("effective_on").desc(nulls_last=True), "country_code", "title_ja", "pk"
        )


class SessionPartQuerySet(models.QuerySet[_M]):
    """Agenda items (and participants): visible with their session."""

    def visible_to(self, user: User) -> Self:
        DialogueSession = _model("DialogueSession")
        return self.filter(session__in=DialogueSession.objects.visible_to(user).values("pk"))


class ParticipantQuerySet(SessionPartQuerySet[_M]):
    """A session's participants, with their session; company users see the officials and
    their own colleagues there, never the people of the other companies at the table."""

    def visible_to(self, user: User) -> Self:
        visible = super().visible_to(user)
        if _is_signed_in(user) and user.role == Role.COMPANY:
            visible = visible.filter(
                Q(organization__isnull=True) | Q(organization=user.organization_id)
            )
        return visible


class PlanRevisionItemQuerySet(MarkedQuerySet[_M]):
    """Snapshot lines of a plan revision: officials only, by the line's marking and sector."""

    sector_field = "sector"
    has_named_users = False

    def company_condition(self, user: User) -> Q:
        return NOTHING


class ConcernMessageQuerySet(models.QuerySet[_M]):
    def visible_to(self, user: User) -> Self:
        Concern = _model("Concern")
        if not _is_signed_in(user):
            return self.none()
        visible = self.filter(concern__in=Concern.objects.visible_to(user).values("pk"))
        if user.role == Role.COMPANY:
            visible = visible.filter(is_internal=False)
        return visible


class ReferralQuerySet(models.QuerySet[_M]):
    """Referrals go with their concern: its organization and its sector's officials."""

    def visible_to(self, user: User) -> Self:
        Concern = _model("Concern")
        if not _is_signed_in(user):
            return self.none()
        return self.filter(concern__in=Concern.objects.visible_to(user).values("pk"))

    def waiting(self) -> Self:
        """Waiting for the company's consent or for the support organization's answer."""
        from dialogue.enums import ReferralStatus

        return self.filter(
            status__in=[ReferralStatus.PROPOSED, ReferralStatus.CONSENTED, ReferralStatus.REFERRED]
        )


class ConcernAttachmentQuerySet(models.QuerySet[_M]):
    def visible_to(self, user: User) -> Self:
        Concern = _model("Concern")
        if not _is_signed_in(user):
            return self.none()
        visible = self.filter(concern__in=Concern.objects.visible_to(user).values("pk"))
        if user.role == Role.COMPANY:
            visible = visible.exclude(message__is_internal=True)
        return visible


class OrganizationQuerySet(models.QuerySet[_M]):
    def visible_to(self, user: User) -> Self:
        if not _is_signed_in(user):
            return self.none()
        if user.is_official or user.is_superuser:
            return self.all()
        if user.role == Role.COMPANY and user.organization_id:
            return self.filter(pk=user.organization_id)
        return self.none()


class OfficialOnlyQuerySet(models.QuerySet[_M]):
    """Records for officials only (plan revisions)."""

    def visible_to(self, user: User) -> Self:
        if _is_signed_in(user) and (user.is_official or user.is_superuser):
            return self.all()
        return self.none()


class ReplyTemplateQuerySet(OfficialOnlyQuerySet[_M]):
    """Reply templates: for officials, who answer concerns; never for companies."""

    def for_sector(self, sector_id: int) -> Self:
        """The templates offered for a concern of this sector: its own and the general ones."""
        return self.filter(Q(sector_id=sector_id) | Q(sector__isnull=True))


class ReferenceQuerySet(models.QuerySet[_M]):
    """Public reference data (sectors, threat codes, best practices): any signed-in user."""

    def visible_to(self, user: User) -> Self:
        return self.all() if _is_signed_in(user) else self.none()


class UserQuerySet(models.QuerySet[_M]):
    def visible_to(self, user: User) -> Self:
        if not _is_signed_in(user):
            return self.none()
        if user.is_official or user.is_superuser:
            return self.all()
        if user.role == Role.COMPANY and user.organization_id:
            return self.filter(organization_id=user.organization_id)
        return self.filter(pk=user.pk)

    def assignable_officials(self) -> Self:
        """Active officials and secretariat members: the people an action or a concern can
        be given to (administrators run the system; they are not assigned work)."""
        return self.filter(is_active=True, role__in=[Role.OFFICIAL, Role.SECRETARIAT])

    def working_on(self, sector_ids: list[int]) -> Self:
        """The secretariat (every sector) and the officials of these sectors or their parents."""
        return self.filter(
            Q(role=Role.SECRETARIAT)
            | Q(sectors__in=sector_ids)
            | Q(sectors__children__in=sector_ids)
        ).distinct()


class DigestQuerySet(models.QuerySet[_M]):
    """A digest holds what its recipient may see as an official, so only its recipient reads
    it, and only while they are still an official."""

    def visible_to(self, user: User) -> Self:
        if not (_is_signed_in(user) and (user.is_official or user.is_superuser)):
            return self.none()
        return self.filter(recipient=user)


class OperationsQuerySet(models.QuerySet[_M]):
    """Delivery ledgers and job runs: the secretariat and administrators. A row about a
    marked record (`subject_field`) only for those who may see that record: a RED
    action's reminders name it, so they are not shown to someone not named on it."""

    subject_field: str | None = None

    def visible_to(self, user: User) -> Self:
        if not (_is_signed_in(user) and user.is_secretariat):
            return self.none()
        if self.subject_field is None:
            return self.all()
        subject = self.model._meta.get_field(self.subject_field).related_model
        visible = visible_rows(cast("type[models.Model]", subject), user).values("pk")
        return self.filter(**{f"{self.subject_field}__in": visible})


class ReminderQuerySet(OperationsQuerySet[_M]):
    subject_field = "action"


class ReferralReminderQuerySet(OperationsQuerySet[_M]):
    subject_field = "referral"


class NotificationQuerySet(OperationsQuerySet[_M]):
    subject_field = "concern"


class ChokepointReviewReminderQuerySet(OperationsQuerySet[_M]):
    subject_field = "chokepoint"


class ForumQuerySet(models.QuerySet[_M]):
    """International forums: officials only (the workspace and the API); company users
    never see the government's negotiating tracks."""

    def visible_to(self, user: User) -> Self:
        if _is_signed_in(user) and (user.is_official or user.is_superuser):
            return self.all()
        return self.none()


class OwnQuerySet(models.QuerySet[_M]):
    """Rows that belong to one user (export jobs): only that user reads them."""

    owner_field = "requested_by"

    def visible_to(self, user: User) -> Self:
        if not _is_signed_in(user):
            return self.none()
        return self.filter(**{self.owner_field: user})


class SavedFilterQuerySet(OwnQuerySet[_M]):
    """A person's saved list filters: theirs alone."""

    owner_field = "user"


class ApiTokenQuerySet(OwnQuerySet[_M]):
    """API tokens: each person sees and revokes only their own."""

    owner_field = "user"

    def live(self) -> Self:
        return self.filter(expires_at__gt=timezone.now())


class InvitationQuerySet(models.QuerySet[_M]):
    """Officials see every invitation; an organization's portal admin sees that organization's."""

    def visible_to(self, user: User) -> Self:
        if not _is_signed_in(user):
            return self.none()
        if user.is_official or user.is_superuser:
            return self.all()
        if user.role == Role.COMPANY and user.is_org_admin and user.organization_id:
            return self.filter(organization_id=user.organization_id)
        return self.none()


# -- outreach notices ----------------------------------------------------------------------

# What a sector's companies may be shown (DOMAIN.md: CLEAR to all, GREEN to the sector's).
COMPANY_MARKINGS = (Marking.CLEAR, Marking.GREEN)


def sectors_and_domains_of(organization_id: int | None) -> models.QuerySet[Sector, Any]:
    """The organization's sectors and the domains above them."""
    Sector = _model("Sector")
    return Sector.objects.filter(
        Q(organizations=organization_id) | Q(children__organizations=organization_id)
    ).values("pk")


def sector_threat_code_ids(sector_ids: Any) -> Q:
    """A condition on ThreatCategory: the codes relevant to these sectors — those of the
    sectors' CLEAR/GREEN threats and foreign measures (those affecting every sector
    included), what their companies may see."""
    Threat, ForeignMeasure = _model("Threat"), _model("ForeignMeasure")
    threats = Threat.objects.filter(sector__in=sector_ids, marking__in=COMPANY_MARKINGS)
    measures = ForeignMeasure.threat_categories.through.objects.filter(
        Q(foreignmeasure__sectors__in=sector_ids) | Q(foreignmeasure__affects_all_sectors=True),
        foreignmeasure__marking__in=COMPANY_MARKINGS,
    )
    return Q(pk__in=threats.values("category")) | Q(pk__in=measures.values("threatcategory"))


class NoticeQuerySet(MarkedQuerySet[_M]):
    """Officials: by marking and sectors, drafts too. Company users: the notices addressed
    to their organization (`addressed_to`), nothing else."""

    sector_field = "sectors"
    has_named_users = False
    remember_condition = False  # the audience rule reads today's date

    def company_condition(self, user: User) -> Q:
        return self.addressed_condition(user)

    def addressed_to(self, user: User) -> Self:
        """The audience rule, in one place: published, its date reached, for companies,
        CLEAR/GREEN, and the user's organization matches sectors ∧ size ∧ (no codes, or
        codes meeting the codes relevant to the organization's sectors)."""
        if not _is_signed_in(user) or user.role != Role.COMPANY:
            return self.none()
        return self.filter(self.addressed_condition(user))

    def addressed_condition(self, user: User) -> Q:
        org_id = user.organization_id
        if org_id is None:
            return NOTHING
        # The user's organization, as the request has usually loaded it already.
        organization = user.organization
        if organization is None:
            return NOTHING
        ThreatCategory = _model("ThreatCategory")
        own_sectors = sectors_and_domains_of(org_id)
        notice_model: Any = self.model  # a Notice: its many-to-many tables
        sectors = notice_model.sectors.through.objects.filter(
            notice=OuterRef("pk"), sector__in=own_sectors
        )
        relevant = ThreatCategory.objects.filter(sector_threat_code_ids(own_sectors)).values("pk")
        codes = notice_model.threat_categories.through.objects.filter(notice=OuterRef("pk"))
        meeting = codes.filter(
            Q(threatcategory__in=relevant) | Q(threatcategory__children__in=relevant)
        )
        return (
            Q(status=NoticeStatus.PUBLISHED, audience=NoticeAudience.COMPANIES)
            & Q(publish_on__lte=timezone.localdate(), marking__in=COMPANY_MARKINGS)
            & Q(size_classes__contains=f",{organization.size_class},")
            & Q(Exists(sectors))
            & (~Q(Exists(codes)) | Q(Exists(meeting)))
        )


class NoticeReadQuerySet(models.QuerySet[_M]):
    """Read receipts: a person's own; officials those of the notices they may see."""

    def visible_to(self, user: User) -> Self:
        if not _is_signed_in(user):
            return self.none()
        if user.is_official or user.is_superuser:
            Notice = _model("Notice")
            return self.filter(notice__in=Notice.objects.visible_to(user).values("pk"))
        return self.filter(user=user)


class NoticeMailQuerySet(OperationsQuerySet[_M]):
    subject_field = "notice"
