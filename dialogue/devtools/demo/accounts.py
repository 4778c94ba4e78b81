"""Demo organizations and logins: their specs, and creating them when missing."""

from __future__ import annotations

from dialogue.devtools.demo.seed_run import SeedRun, add_missing
from dialogue.enums import OrganizationKind, Role, SizeClass
from dialogue.models import Organization, User
from dialogue.validators import corporate_number_check_digit

# Shared by every demo account and printed in the logins table: never use on production.
DEFAULT_PASSWORD = "demo-pass-2026"  # noqa: S105


def corporate_number(base12: str) -> str:
    """A valid 13-digit corporate number for a fictional 12-digit base."""
    return f"{corporate_number_check_digit(base12)}{base12}"


# Fictional organizations; the 12-digit bases are outside the ranges the test
# factories (1000…) and generate_bench_data (99…) use.
ORGANIZATIONS = {
    "semicon_materials": {
        "name": "株式会社サンプル半導体材料",
        "name_en": "Sample Semiconductor Materials Co., Ltd.",
        "base": "801100000001",
        "kind": OrganizationKind.COMPANY,
        "size_class": SizeClass.LARGE,
        "sectors": ["semiconductors"],
    },
    "battery_maker": {
        "name": "株式会社サンプル蓄電池",
        "name_en": "Sample Storage Battery Corporation",
        "base": "801100000002",
        "kind": OrganizationKind.COMPANY,
        "size_class": SizeClass.MIDSIZE,
        "sectors": ["batteries"],
    },
    "fine_chemicals": {
        "name": "架空精密化学工業株式会社",
        "name_en": "Kakuu Fine Chemical Industries, Ltd.",
        "base": "801100000003",
        "kind": OrganizationKind.COMPANY,
        "size_class": SizeClass.SME,
        "sectors": ["semiconductors"],
    },
    "semicon_association": {
        "name": "一般社団法人サンプル半導体材料協会",
        "name_en": "Sample Semiconductor Materials Association",
        "base": "801100000004",
        "kind": OrganizationKind.ASSOCIATION,
        "size_class": SizeClass.LARGE,
        "sectors": ["semiconductors", "batteries"],
    },
}

ACCOUNTS = [
    {
        "username": "secretariat",
        "role": Role.SECRETARIAT,
        "last_name": "経済",
        "first_name": "花子",
        "email": "secretariat@example.go.jp",
    },
    {
        "username": "semicon_official",
        "role": Role.OFFICIAL,
        "last_name": "半田",
        "first_name": "一郎",
        "email": "semicon_official@example.go.jp",
        "sectors": ["semiconductors"],
        "leads": ["semiconductors"],
    },
    {
        "username": "battery_official",
        "role": Role.OFFICIAL,
        "last_name": "電池",
        "first_name": "次郎",
        "email": "battery_official@example.go.jp",
        "sectors": ["batteries"],
    },
    {
        "username": "company_a",
        "role": Role.COMPANY,
        "last_name": "材料",
        "first_name": "恵子",
        "email": "company_a@example.co.jp",
        "organization": "semicon_materials",
        "is_org_admin": True,
    },
    {
        "username": "company_b",
        "role": Role.COMPANY,
        "last_name": "蓄田",
        "first_name": "健太",
        "email": "company_b@example.co.jp",
        "organization": "battery_maker",
    },
    {
        "username": "admin",
        "role": Role.ADMIN,
        "last_name": "管理",
        "first_name": "太郎",
        "email": "admin@example.go.jp",
        "superuser": True,
    },
]


def create_organizations(run: SeedRun) -> dict[str, Organization]:
    orgs = {}
    for key, spec in ORGANIZATIONS.items():
        org = run.get_or_create(
            Organization,
            corporate_number=corporate_number(spec["base"]),
            defaults={
                "name": spec["name"],
                "name_en": spec["name_en"],
                "kind": spec["kind"],
                "size_class": spec["size_class"],
            },
        )
        add_missing(org.sectors, *[run.sectors[code] for code in spec["sectors"]])
        orgs[key] = org
    return orgs


def create_accounts(run: SeedRun, orgs: dict[str, Organization], password: str) -> dict[str, User]:
    users = {}
    for spec in ACCOUNTS:
        fields = {
            "email": spec["email"],
            "first_name": spec["first_name"],
            "last_name": spec["last_name"],
            "role": spec["role"],
            "organization": orgs[spec["organization"]] if "organization" in spec else None,
            "is_org_admin": spec.get("is_org_admin", False),
        }
        user = User.objects.filter(username=spec["username"]).first()
        if user is None:
            if spec.get("superuser"):
                user = User.objects.create_superuser(spec["username"], password=password, **fields)
            else:
                user = User.objects.create_user(spec["username"], password=password, **fields)
            run.created += 1
        elif not user.check_password(password):
            # Keep the printed table true when --password changes between runs.
            user.set_password(password)
            user.save(update_fields=["password"])
        add_missing(user.sectors, *[run.sectors[code] for code in spec.get("sectors", [])])
        for code in spec.get("leads", []):
            sector = run.sectors[code]
            if sector.lead_id != user.pk:
                sector.lead = user
                sector.save(update_fields=["lead"])
        users[spec["username"]] = user
    return users
