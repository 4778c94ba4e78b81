"""Demo accounts and a small Japanese sample: the seed_demo() entry point of `manage.py seed_demo`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from dialogue.devtools.demo.accounts import DEFAULT_PASSWORD, create_accounts, create_organizations
from dialogue.devtools.demo.samples import create_sample
from dialogue.devtools.demo.seed_run import SeedRun
from dialogue.models import Sector, ThreatCategory, User

__all__ = ["DEFAULT_PASSWORD", "DemoSeedResult", "MissingReferenceData", "seed_demo"]

REQUIRED_SECTORS = ("semiconductors", "batteries")
REQUIRED_CODES = ("1-1", "1-2", "2-1", "2-2")


class MissingReferenceData(Exception):
    """The sectors or threat codes the demo needs are missing: load the reference data first."""


@dataclass(frozen=True)
class DemoSeedResult:
    created: int  # rows created by this run: 0 when everything was already there
    users: dict[str, User]  # the demo accounts by username


def seed_demo(password: str = DEFAULT_PASSWORD) -> DemoSeedResult:
    """Create the demo accounts and sample rows that are missing.

    Idempotent: every row is looked up by a stable key (username, corporate number,
    title …) and created only when missing, so a second run creates nothing. The
    accounts share one known password: never run this against a production database.
    """
    require_reference_data()
    with transaction.atomic():
        run = SeedRun(
            sectors={s.code: s for s in Sector.objects.filter(code__in=REQUIRED_SECTORS)},
            codes={c.code: c for c in ThreatCategory.objects.filter(code__in=REQUIRED_CODES)},
        )
        orgs = create_organizations(run)
        users = create_accounts(run, orgs, password)
        create_sample(run, orgs, users)
    return DemoSeedResult(created=run.created, users=users)


def require_reference_data() -> None:
    if not Sector.objects.exists() or not ThreatCategory.objects.exists():
        raise MissingReferenceData(
            "Reference data is missing (no sectors or threat codes). "
            "Run `manage.py load_reference_data` first."
        )
    missing = set(REQUIRED_SECTORS) - set(
        Sector.objects.filter(code__in=REQUIRED_SECTORS).values_list("code", flat=True)
    )
    missing |= set(REQUIRED_CODES) - set(
        ThreatCategory.objects.filter(code__in=REQUIRED_CODES).values_list("code", flat=True)
    )
    if missing:
        raise MissingReferenceData(
            f"Reference data lacks {', '.join(sorted(missing))}. "
            "Run `manage.py load_reference_data` first."
        )
