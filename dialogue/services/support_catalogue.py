"""The secretariat keeps the support catalogue: organizations and the schemes they run."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from dialogue.models import SupportOrganization, SupportScheme, User
from dialogue.models.support import SupportEntry
from dialogue.permissions import can_manage_support_catalogue
from dialogue.services.common import PermissionDeniedError, apply_changes, save_validated

_Entry = TypeVar("_Entry", bound=SupportEntry)

LINKS = ("threat_categories", "sectors")
ORGANIZATION_FIELDS = {
    "abbreviation",
    "name_ja",
    "name_en",
    "description_ja",
    "description_en",
    "company_sizes",
    "contact",
    "is_active",
    *LINKS,
}
SCHEME_FIELDS = (ORGANIZATION_FIELDS - {"abbreviation"}) | {"organization", "support_kinds"}


def _require_secretariat(actor: User) -> None:
    if not can_manage_support_catalogue(actor):
        raise PermissionDeniedError(_("Only the secretariat can change the support catalogue."))


def _create(model: type[_Entry], actor: User, values: dict[str, Any], allowed: set[str]) -> _Entry:
    _require_secretariat(actor)
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not settable here: {sorted(unknown)}")
    links = {name: values.pop(name) for name in LINKS if name in values}
    entry = model(**values)
    save_validated(entry, actor=actor)
    for name, targets in links.items():
        getattr(entry, name).set(targets)
    return entry


@transaction.atomic
def support_organization_create(*, actor: User, values: dict[str, Any]) -> SupportOrganization:
    return _create(SupportOrganization, actor, dict(values), ORGANIZATION_FIELDS)


@transaction.atomic
def support_organization_update(
    *,
    organization: SupportOrganization,
    actor: User,
    changes: dict[str, Any],
    expected_version: int | None = None,
) -> SupportOrganization:
    _require_secretariat(actor)
    return apply_changes(
        organization,
        actor=actor,
        changes=changes,
        allowed=ORGANIZATION_FIELDS,
        expected_version=expected_version,
    )


@transaction.atomic
def support_scheme_create(*, actor: User, values: dict[str, Any]) -> SupportScheme:
    return _create(SupportScheme, actor, dict(values), SCHEME_FIELDS)


@transaction.atomic
def support_scheme_update(
    *,
    scheme: SupportScheme,
    actor: User,
    changes: dict[str, Any],
    expected_version: int | None = None,
) -> SupportScheme:
    _require_secretariat(actor)
    return apply_changes(
        scheme,
        actor=actor,
        changes=changes,
        allowed=SCHEME_FIELDS,
        expected_version=expected_version,
    )
