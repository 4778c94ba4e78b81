"""People and reference data for a drill's private database.

Run as `python -m tests.faults.private_seed` with DATABASE_URL pointing at a freshly
migrated database; prints what the drill needs (ids and API tokens) as JSON.
"""

import json

import django

OFFICIALS = 3


def main() -> None:
    django.setup()
    from tests import factories as f

    sector = f.SectorFactory(code="drill-sector")
    category = f.ThreatCategoryFactory(code="2-2")
    officials = [
        f.OfficialFactory(username=f"drill_official_{n}", sectors=[sector])
        for n in range(OFFICIALS)
    ]
    company = f.CompanyUserFactory(
        username="drill_company", organization=f.OrganizationFactory(sectors=[sector])
    )
    print(
        json.dumps(
            {
                "sector": sector.pk,
                "category": category.code,
                "officials": [o.pk for o in officials],
                "official_token": f.api_key(officials[0]),
                "company_token": f.api_key(company),
            }
        )
    )


if __name__ == "__main__":
    main()
