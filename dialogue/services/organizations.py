"""Writes on organizations (the secretariat keeps the register of participants)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dialogue.enums import OrganizationKind, SizeClass
from dialogue.models import Organization, Sector, User
from dialogue.permissions import is_secretariat
from dialogue.services.common import PermissionDeniedError, save_validated


def _require_secretariat(actor: User) -> None:
    if not is_secretariat(actor):
        raise PermissionDeniedError(_("Only the secretariat can change organizations."))


@transaction.atomic
def organization_create(
    *,
    actor: User,
    name: str,
    corporate_number: str,
    kind: str = OrganizationKind.COMPANY,
    size_class: str = SizeClass.LARGE,
    name_en: str = "",
    sectors: Sequence[Sector] = (),
) -> Organization:
    _require_secretariat(actor)
    organization = Organization(
        name=name,
        name_en=name_en,
        corporate_number=corporate_number,
        kind=kind,
        size_class=size_class,
    )
    save_validated(organization, actor=actor)
    organization.sectors.set(sectors)
    return organization


@transaction.atomic
def organization_update(
    *, organization: Organization, actor: User, changes: dict[str, Any]
) -> Organization:
    _require_secretariat(actor)
    sectors = changes.pop("sectors", None)
    for name, value in changes.items():
        setattr(organization, name, value)
    save_validated(organization, actor=actor, update_fields=list(changes))
    if sectors is not None:
        organization.sectors.set(sectors)
    return organization
