"""PeopleTables: bench sectors, organizations and users (officials, secretariat, company users)."""

from __future__ import annotations

import time
from collections import defaultdict

from dialogue.devtools.bench.base import HISTORY_DAYS, BenchDataError, GeneratorBase
from dialogue.devtools.bench.sampling import Skewed
from dialogue.devtools.bench.vocabulary import (
    GIVEN_NAMES,
    ORG_CORES,
    ORG_TRADES,
    SUBJECTS,
    SURNAMES,
)
from dialogue.enums import OrganizationKind, Role, SectorKind, SizeClass
from dialogue.models import Organization, Sector, ThreatCategory, User
from dialogue.validators import corporate_number_check_digit

TARGET_SECTORS = 20
ORGS_WITH_USERS_SHARE = 0.2  # ~1,000 of 5,000 organizations have portal users
USERS_PER_ORG = 2
BENCH_SECTOR_PREFIX = "bench-sector-"
BENCH_ORG_PREFIX = "Bench Org "
BENCH_OFFICIAL_PREFIX = "bench-official-"
BENCH_SECRETARIAT = "bench-secretariat"
# Bench corporate numbers are "99" + a 10-digit counter, outside other generators' ranges.
CORPORATE_BASE_PREFIX = "99"
# Threat codes that come up most in the dialogues go first in the skewed draw.
FREQUENT_CODES = ["1-2", "2-1", "2-2", "1-1", "1-3", "3-3", "2-3", "3-4"]


def size_class(draw: float) -> SizeClass:
    """Most organizations are small and medium, some mid-sized (中堅), the rest large: one
    draw, so the rest of the generated data stays the same for a given seed."""
    if draw < 0.6:
        return SizeClass.SME
    return SizeClass.MIDSIZE if draw < 0.75 else SizeClass.LARGE


class PeopleTables(GeneratorBase):
    """Sectors, organizations and users: who the dialogue records are about and by."""

    # -- sectors and organizations ---------------------------------------------
    def _sectors(self) -> None:
        started = time.perf_counter()
        sectors = list(Sector.objects.filter(kind=SectorKind.SECTOR).order_by("sort_order", "code"))
        domains = list(Sector.objects.filter(kind=SectorKind.DOMAIN).order_by("sort_order", "code"))
        existing = {s.code for s in sectors}
        new = []
        for number in range(len(sectors) + 1, TARGET_SECTORS + 1):
            code = f"{BENCH_SECTOR_PREFIX}{number:02d}"
            if code not in existing:
                new.append(
                    Sector(
                        code=code,
                        kind=SectorKind.SECTOR,
                        parent=domains[number % len(domains)] if domains else None,
                        name_ja=f"ベンチマーク分野{number:02d}",
                        name_en=f"Bench sector {number:02d}",
                        sort_order=1000 + number,
                    )
                )
        if new:
            Sector.objects.bulk_create(new, batch_size=self.batch_size)
            sectors = list(
                Sector.objects.filter(kind=SectorKind.SECTOR).order_by("sort_order", "code")
            )
        self.total_rows += len(new)
        self.progress(
            f"{'sectors':<36}{len(new):>10,} rows {time.perf_counter() - started:>9.2f} s"
        )

        # Semiconductors and batteries lead the Zipf-like spread, then sort order.
        heavy = {"semiconductors": 0, "batteries": 1}
        sectors.sort(key=lambda s: (heavy.get(s.code, 2), s.sort_order, s.code))
        self.sectors = sectors
        self.sector_ids = [s.pk for s in sectors]
        self.pick_sector = Skewed(self.rng, self.sector_ids, exponent=1.1)

        leaves = list(
            ThreatCategory.objects.filter(children__isnull=True).order_by("sort_order", "code")
        )
        if not leaves:
            raise BenchDataError("No leaf threat codes. Run `manage.py load_reference_data` first.")
        rank = {code: i for i, code in enumerate(FREQUENT_CODES)}
        leaves.sort(key=lambda c: (rank.get(c.code, len(rank)), c.sort_order, c.code))
        self.pick_code = Skewed(self.rng, [c.pk for c in leaves], exponent=0.8)

    def _organizations(self) -> None:
        last = (
            Organization.objects.filter(name_en__startswith=BENCH_ORG_PREFIX)
            .order_by("-name_en")
            .values_list("name_en", flat=True)
            .first()
        )
        offset = int(last.removeprefix(BENCH_ORG_PREFIX)) if last else 0
        self.org_numbers: list[int] = []
        org_sectors: list[list[int]] = []
        rng = self.rng

        def build():
            for i in range(self.counts["organizations"]):
                number = offset + i + 1
                base = f"{CORPORATE_BASE_PREFIX}{number:010d}"
                association = rng.random() < 0.08
                wanted = rng.randint(2, 4) if association else (2 if rng.random() < 0.3 else 1)
                sectors = list(dict.fromkeys(self.pick_sector() for _ in range(wanted)))
                org_sectors.append(sectors)
                self.org_numbers.append(number)
                if association:
                    name = f"一般社団法人{rng.choice(ORG_CORES)}{rng.choice(SUBJECTS)}協会"
                else:
                    name = f"株式会社{rng.choice(ORG_CORES)}{rng.choice(ORG_TRADES)}"
                day = self._past_day(HISTORY_DAYS + 365)
                yield Organization(
                    name=name,
                    name_en=f"{BENCH_ORG_PREFIX}{number:07d}",
                    corporate_number=f"{corporate_number_check_digit(base)}{base}",
                    kind=OrganizationKind.ASSOCIATION if association else OrganizationKind.COMPANY,
                    size_class=size_class(rng.random()),
                    created_at=self._moment(day),
                    updated_at=self._moment(day),
                )

        self.org_ids = self._insert("organizations", Organization, build())
        self.org_sectors = dict(zip(self.org_ids, org_sectors, strict=True))
        self.orgs_by_sector: dict[int, list[int]] = defaultdict(list)
        for org, sectors in self.org_sectors.items():
            for sector in sectors:
                self.orgs_by_sector[sector].append(org)
        self._link(
            "organization sectors (m2m)",
            Organization,
            "sectors",
            ((org, s) for org, sectors in self.org_sectors.items() for s in sectors),
        )

    # -- users -------------------------------------------------------------------
    def _users(self) -> None:
        rng = self.rng
        wanted = {f"{BENCH_OFFICIAL_PREFIX}{s.code}": s for s in self.sectors}
        wanted_names = [*wanted, BENCH_SECRETARIAT]
        existing = dict(
            User.objects.filter(username__in=wanted_names).values_list("username", "pk")
        )

        def staff():
            for username in wanted_names:
                if username in existing:
                    continue
                yield User(
                    username=username,
                    password=self.password,
                    email=f"{username}@bench.example.go.jp",
                    last_name=rng.choice(SURNAMES),
                    first_name=rng.choice(GIVEN_NAMES),
                    role=Role.SECRETARIAT if username == BENCH_SECRETARIAT else Role.OFFICIAL,
                )

        new_staff = [name for name in wanted_names if name not in existing]
        created = self._insert("users: officials", User, staff())
        existing.update(zip(new_staff, created, strict=True))
        self._link(
            "official sectors (m2m)",
            User,
            "sectors",
            ((existing[name], wanted[name].pk) for name in new_staff if name in wanted),
        )
        self.secretariat_id = existing[BENCH_SECRETARIAT]
        self.official_of = {wanted[name].pk: existing[name] for name in wanted}

        leaderless = [s for s in self.sectors if s.lead_id is None]
        for sector in leaderless:
            sector.lead_id = self.official_of[sector.pk]
        if leaderless:
            Sector.objects.bulk_update(leaderless, ["lead"], batch_size=self.batch_size)

        with_users = max(1, round(len(self.org_ids) * ORGS_WITH_USERS_SHARE))
        chosen = sorted(rng.sample(range(len(self.org_ids)), with_users))
        members: list[int] = []

        def company_users():
            for index in chosen:
                org, number = self.org_ids[index], self.org_numbers[index]
                for j in range(USERS_PER_ORG):
                    members.append(org)
                    username = f"bench-company-{number:07d}-{j + 1}"
                    yield User(
                        username=username,
                        password=self.password,
                        email=f"{username}@bench.example.co.jp",
                        last_name=rng.choice(SURNAMES),
                        first_name=rng.choice(GIVEN_NAMES),
                        role=Role.COMPANY,
                        organization_id=org,
                        is_org_admin=j == 0,
                    )

        user_ids = self._insert("users: company", User, company_users())
        self.users_of_org: dict[int, list[int]] = defaultdict(list)
        for user, org in zip(user_ids, members, strict=True):
            self.users_of_org[org].append(user)
        self.orgs_with_users = list(self.users_of_org)
        self.company_users = [(u, org) for org, users in self.users_of_org.items() for u in users]
