"""Writes on outreach notices: draft, edit, publish, withdraw; read receipts; the
person's notice e-mail frequency."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue.enums import Marking, NoticeAudience, NoticeFrequency, NoticeStatus
from dialogue.models import (
    BestPractice,
    ChokepointTechnology,
    ForeignMeasure,
    Notice,
    NoticeRead,
    Sector,
    ThreatCategory,
    User,
)
from dialogue.models.notices import COMPANY_MARKINGS, encode_size_classes
from dialogue.permissions import can_manage_sectors, is_official
from dialogue.services.common import (
    PermissionDeniedError,
    attribute_history,
    lock_for_update,
    save_validated,
)

NOTICE_UPDATABLE = {
    "kind",
    "title_ja",
    "title_en",
    "body_ja",
    "body_en",
    "audience",
    "sectors",
    "size_classes",
    "threat_categories",
    "foreign_measures",
    "best_practices",
    "chokepoints",
    "marking",
    "publish_on",
}
_M2M = {"sectors", "threat_categories", "foreign_measures", "best_practices", "chokepoints"}


def _require_author(actor: User, sectors: Sequence[Sector]) -> None:
    """Officials write notices for their own sectors; the secretariat for every sector."""
    if not is_official(actor) or not can_manage_sectors(actor, list(sectors)):
        raise PermissionDeniedError(_("You can write notices only for your own sectors."))


def _check_links(
    *,
    actor: User,
    notice: Notice,
    sectors: Sequence[Sector],
    foreign_measures: Sequence[ForeignMeasure],
    chokepoints: Sequence[ChokepointTechnology],
) -> None:
    """Field errors for what a notice may not carry: no sector, or (for companies) a linked
    record their users may not see."""
    errors: dict[str, list[str]] = {}
    if not sectors:
        errors["sectors"] = [_("Choose at least one sector.")]
    visible = set(
        ChokepointTechnology.objects.visible_to(actor)
        .filter(pk__in=[c.pk for c in chokepoints])
        .values_list("pk", flat=True)
    )
    if notice.audience == NoticeAudience.COMPANIES:
        if any(c.marking not in COMPANY_MARKINGS or c.pk not in visible for c in chokepoints):
            errors["chokepoints"] = [
                _("Only TLP:CLEAR or TLP:GREEN chokepoint technologies can be shown to companies.")
            ]
        if any(m.marking not in COMPANY_MARKINGS for m in foreign_measures):
            errors["foreign_measures"] = [
                _("Only TLP:CLEAR or TLP:GREEN foreign measures can be shown to companies.")
            ]
    elif any(c.pk not in visible for c in chokepoints):
        errors["chokepoints"] = [_("Choose chokepoint technologies you may see.")]
    if errors:
        raise ValidationError(errors)


def _save_links(notice: Notice, links: dict[str, Any]) -> None:
    for name, value in links.items():
        getattr(notice, name).set(value)


@transaction.atomic
def notice_create(
    *,
    actor: User,
    kind: str,
    title_ja: str,
    title_en: str,
    body_ja: str,
    body_en: str,
    sectors: Sequence[Sector],
    size_classes: Sequence[str],
    audience: str = NoticeAudience.COMPANIES,
    threat_categories: Sequence[ThreatCategory] = (),
    foreign_measures: Sequence[ForeignMeasure] = (),
    best_practices: Sequence[BestPractice] = (),
    chokepoints: Sequence[ChokepointTechnology] = (),
    marking: str = Marking.GREEN,
    publish_on: datetime.date | None = None,
) -> Notice:
    """A draft notice; it reaches nobody until published."""
    _require_author(actor, sectors)
    notice = Notice(
        kind=kind,
        title_ja=title_ja,
        title_en=title_en,
        body_ja=body_ja,
        body_en=body_en,
        audience=audience,
        size_classes=encode_size_classes(size_classes),
        marking=marking,
        publish_on=publish_on or timezone.localdate(),
        author=actor,
    )
    _check_links(
        actor=actor,
        notice=notice,
        sectors=sectors,
        foreign_measures=foreign_measures,
        chokepoints=chokepoints,
    )
    save_validated(notice, actor=actor)
    _save_links(
        notice,
        {
            "sectors": sectors,
            "threat_categories": threat_categories,
            "foreign_measures": foreign_measures,
            "best_practices": best_practices,
            "chokepoints": chokepoints,
        },
    )
    return notice


@transaction.atomic
def notice_update(
    *,
    notice: Notice,
    actor: User,
    changes: dict[str, Any],
    expected_version: int | None = None,
) -> Notice:
    """Change a draft or a published notice (a correction); a withdrawn one stays as it was."""
    unknown = set(changes) - NOTICE_UPDATABLE
    if unknown:
        raise ValueError(f"not updatable here: {sorted(unknown)}")
    locked = lock_for_update(notice, expected_version)
    _require_author(actor, list(locked.sectors.all()))
    if locked.status == NoticeStatus.WITHDRAWN:
        raise ValidationError({"status": _("A withdrawn notice cannot be changed.")})
    scalar = {k: v for k, v in changes.items() if k not in _M2M}
    links = {k: list(v) for k, v in changes.items() if k in _M2M}
    if "size_classes" in scalar:
        scalar["size_classes"] = encode_size_classes(scalar["size_classes"])
    for name, value in scalar.items():
        setattr(locked, name, value)
    sectors = links.get("sectors", list(locked.sectors.all()))
    _require_author(actor, sectors)
    _check_links(
        actor=actor,
        notice=locked,
        sectors=sectors,
        foreign_measures=links.get("foreign_measures", list(locked.foreign_measures.all())),
        chokepoints=links.get("chokepoints", list(locked.chokepoints.all())),
    )
    save_validated(locked, actor=actor, update_fields=list(scalar))
    _save_links(locked, links)
    return locked


def _transition(
    notice: Notice, *, actor: User, expected_version: int | None, new: str, allowed_from: set[str]
) -> Notice:
    locked = lock_for_update(notice, expected_version)
    _require_author(actor, list(locked.sectors.all()))
    if locked.status not in allowed_from:
        raise ValidationError(
            {
                "status": _("The status cannot change from “%(current)s” to “%(new)s”.")
                % {"current": NoticeStatus(locked.status).label, "new": NoticeStatus(new).label}
            },
            code="invalid_transition",
        )
    locked.status = new
    fields = ["status"]
    if new == NoticeStatus.PUBLISHED:
        locked.published_at = timezone.now()
        fields.append("published_at")
    else:
        locked.withdrawn_at = timezone.now()
        fields.append("withdrawn_at")
    save_validated(locked, actor=actor, update_fields=fields)
    return locked


@transaction.atomic
def notice_publish(*, notice: Notice, actor: User, expected_version: int | None = None) -> Notice:
    """Publish a draft: from its publication date on, it is in its audience's portal and
    e-mails (the notice e-mail round finds it)."""
    return _transition(
        notice,
        actor=actor,
        expected_version=expected_version,
        new=NoticeStatus.PUBLISHED,
        allowed_from={NoticeStatus.DRAFT},
    )


@transaction.atomic
def notice_withdraw(*, notice: Notice, actor: User, expected_version: int | None = None) -> Notice:
    """Take a notice out of every portal; e-mails not yet sent are not sent."""
    return _transition(
        notice,
        actor=actor,
        expected_version=expected_version,
        new=NoticeStatus.WITHDRAWN,
        allowed_from={NoticeStatus.DRAFT, NoticeStatus.PUBLISHED},
    )


def notice_mark_read(*, notice: Notice, user: User) -> NoticeRead:
    """The person's read receipt (the first opening counts; opening again changes nothing).

    The caller has found `notice` through `Notice.objects.addressed_to(user)`."""
    existing = NoticeRead.objects.filter(notice=notice, user=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return NoticeRead.objects.create(notice=notice, user=user)
    except IntegrityError:  # opened twice at the same moment
        return NoticeRead.objects.get(notice=notice, user=user)


def user_set_notice_frequency(*, user: User, frequency: str) -> User:
    if frequency not in NoticeFrequency.values:
        raise ValidationError(
            {"notice_frequency": _("Choose how often to be e-mailed about notices.")},
            code="invalid",
        )
    user.notice_frequency = frequency
    attribute_history(user, user)
    user.save(update_fields=["notice_frequency"])
    return user
