"""Writes on the dependency register (依存・特定国依存): one figure at a time.

Files of figures go through `dependency_import.py`; both check the same things.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dialogue.enums import FigurePrecision, Marking, ShareBasis
from dialogue.models import ChokepointTechnology, Concern, Dependency, Sector, Threat, User
from dialogue.permissions import can_manage_sector
from dialogue.querysets import visible_rows
from dialogue.services.common import PermissionDeniedError, apply_changes, save_validated

DEPENDENCY_UPDATABLE = {
    "product",
    "hs_code",
    "sector",
    "stage",
    "country",
    "share_pct",
    "basis",
    "year",
    "import_value",
    "source",
    "source_passage",
    "precision",
    "marking",
    "threats",
    "concerns",
    "chokepoints",
    "named_users",
}
# Any: the models share no concrete base that visible_rows could be typed with.
LINKS: dict[str, Any] = {
    "threats": Threat,
    "concerns": Concern,
    "chokepoints": ChokepointTechnology,
}


def _require_sector(actor: User, sector: Sector) -> None:
    if not can_manage_sector(actor, sector):
        raise PermissionDeniedError(_("You can change the register only for your own sectors."))


def _require_visible_links(
    actor: User, links: dict[str, Sequence[Any]], dependency: Dependency | None = None
) -> None:
    """Only records the actor may see can be newly linked (an id from elsewhere names
    nothing); links the figure has already stay, seen or not."""
    for name, records in links.items():
        pks = {getattr(record, "pk", record) for record in records}
        if dependency is not None:
            pks -= set(getattr(dependency, name).values_list("pk", flat=True))
        if not pks:
            continue
        seen = visible_rows(LINKS[name], actor).filter(pk__in=pks).count()
        if seen != len(pks):
            raise ValidationError({name: _("Select only records you may see.")}, code="invisible")


@transaction.atomic
def dependency_create(
    *,
    actor: User,
    product: str,
    sector: Sector,
    stage: str,
    country: str,
    share_pct: Decimal,
    year: int,
    source: str,
    hs_code: str = "",
    basis: str = ShareBasis.JAPAN_IMPORTS,
    import_value: Decimal | None = None,
    source_passage: str = "",
    precision: str = FigurePrecision.STATISTICS,
    marking: str = Marking.AMBER,
    threats: Sequence[Threat] = (),
    concerns: Sequence[Concern] = (),
    chokepoints: Sequence[ChokepointTechnology] = (),
    named_users: Sequence[User] = (),
) -> Dependency:
    _require_sector(actor, sector)
    _require_visible_links(
        actor, {"threats": threats, "concerns": concerns, "chokepoints": chokepoints}
    )
    dependency = Dependency(
        product=product,
        hs_code=hs_code,
        sector=sector,
        stage=stage,
        country=country.upper(),
        share_pct=share_pct,
        basis=basis,
        year=year,
        import_value=import_value,
        source=source,
        source_passage=source_passage,
        precision=precision,
        marking=marking,
        created_by=actor,
    )
    save_validated(dependency, actor=actor)
    dependency.threats.set(threats)
    dependency.concerns.set(concerns)
    dependency.chokepoints.set(chokepoints)
    dependency.named_users.set(named_users)
    return dependency


@transaction.atomic
def dependency_update(
    *,
    dependency: Dependency,
    actor: User,
    changes: dict[str, Any],
    expected_version: int | None = None,
) -> Dependency:
    """Change a figure or its links to threats, concerns and chokepoints.

    Links the actor may not see are kept as they are: an official replaces only the
    links they can see, never drops someone else's (restricted) link unknowingly.
    """
    _require_sector(actor, dependency.sector)
    if "sector" in changes:
        _require_sector(actor, changes["sector"])
    if "country" in changes and isinstance(changes["country"], str):
        changes = {**changes, "country": changes["country"].upper()}
    links = {name: changes[name] for name in LINKS if name in changes}
    _require_visible_links(actor, links, dependency)
    for name, records in links.items():
        hidden = (
            getattr(dependency, name)
            .exclude(pk__in=visible_rows(LINKS[name], actor).values("pk"))
            .values_list("pk", flat=True)
        )
        kept = {getattr(record, "pk", record) for record in records} | set(hidden)
        changes = {**changes, name: list(LINKS[name]._default_manager.filter(pk__in=kept))}
    return apply_changes(
        dependency,
        actor=actor,
        changes=changes,
        allowed=DEPENDENCY_UPDATABLE,
        expected_version=expected_version,
    )
