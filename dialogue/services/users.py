"""Provisioning people: officials and company users."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dialogue.enums import Language, Role
from dialogue.models import Organization, Sector, User
from dialogue.services.common import attribute_history


def sectors_by_codes(codes: list[str]) -> list[Sector]:
    """The sectors for these codes, or a field error naming every unknown code."""
    wanted = [c.strip() for c in codes if c.strip()]
    found = {s.code: s for s in Sector.objects.filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise ValidationError(
            {"sectors": _("Unknown sector code(s): %(codes)s.") % {"codes": ", ".join(unknown)}},
            code="unknown_sector",
        )
    return [found[c] for c in wanted]


def organization_by_corporate_number(number: str) -> Organization:
    organization = Organization.objects.filter(corporate_number=number.strip()).first()
    if organization is None:
        raise ValidationError(
            {
                "organization": _("No organization has the corporate number %(number)s.")
                % {"number": number}
            },
            code="unknown_organization",
        )
    return organization


def _create_user(
    *, username: str, email: str, password: str, actor: User | None, **fields: Any
) -> User:
    if User.objects.filter(username=username).exists():
        raise ValidationError(
            {"username": _("The user name “%(name)s” is taken.") % {"name": username}}
        )
    user = User(username=username, email=email, **fields)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    attribute_history(user, actor)
    user.save()
    return user


@transaction.atomic
def official_add(
    *,
    username: str,
    email: str,
    password: str,
    sector_codes: list[str] | None = None,
    secretariat: bool = False,
    language: str = Language.JA,
    actor: User | None = None,
) -> User:
    if secretariat == bool(sector_codes):
        raise ValidationError(
            _("Give either the official's sectors or --secretariat, not both and not neither.")
        )
    sectors = sectors_by_codes(sector_codes or [])
    user = _create_user(
        username=username,
        email=email,
        password=password,
        actor=actor,
        role=Role.SECRETARIAT if secretariat else Role.OFFICIAL,
        language=language,
        is_staff=True,
    )
    user.sectors.set(sectors)
    return user


@transaction.atomic
def company_user_add(
    *,
    username: str,
    email: str,
    password: str,
    corporate_number: str,
    org_admin: bool = False,
    language: str = Language.JA,
    actor: User | None = None,
) -> User:
    return _create_user(
        username=username,
        email=email,
        password=password,
        actor=actor,
        role=Role.COMPANY,
        organization=organization_by_corporate_number(corporate_number),
        is_org_admin=org_admin,
        language=language,
    )


@transaction.atomic
def digest_preferences_update(*, user: User, frequency: str, sectors: list[Sector]) -> User:
    """How often a person wants the plan-revision digest, and for which sectors (none = all)."""
    user.digest_frequency = frequency
    user.full_clean(exclude=["password"])
    attribute_history(user, user)
    user.save(update_fields=["digest_frequency"])
    user.digest_sectors.set(sectors)
    return user
