"""Choices every workspace form offers, limited to what the user may see or manage."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dialogue.models import Sector, ThreatCategory, User
from dialogue.permissions import is_secretariat
from dialogue.querysets import official_sector_id_list

ONE_TO_FIVE_CHOICES = [
    (1, _("1 – very low")),
    (2, _("2 – low")),
    (3, _("3 – medium")),
    (4, _("4 – high")),
    (5, _("5 – very high")),
]
BLANK_CHOICE = [("", "---------")]


def manageable_sectors(user: User):
    """The sectors the user may change the registers of (see permissions.can_manage_sector)."""
    sectors = Sector.objects.visible_to(user).order_by("sort_order", "code")
    if is_secretariat(user):
        return sectors
    return sectors.filter(pk__in=official_sector_id_list(user))


def official_choices(user: User, sectors=None):
    """Active officials the user may see; with `sectors`, those who work on one of them."""
    people = User.objects.visible_to(user).assignable_officials()
    if sectors is not None:
        people = people.working_on([s.pk for s in sectors])
    return people.order_by("last_name", "first_name", "username")


def threat_code_choices() -> list:
    """The threat codes grouped by family ("1 技術流出…": 1-1, 1-2 …), read once per form."""
    families: dict[str, str] = {}
    codes: dict[str, list] = {}
    for category in ThreatCategory.objects.select_related("parent").order_by("sort_order", "code"):
        if category.parent is None:
            families[category.code] = str(category)
        else:
            codes.setdefault(category.parent.code, []).append((category.code, str(category)))
    return [(families.get(family, family), rows) for family, rows in codes.items()]
