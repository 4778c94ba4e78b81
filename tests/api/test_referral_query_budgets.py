"""Query budgets of the referral and catalogue lists: many rows cost what one row costs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogue.models import SupportOrganization, SupportScheme
from tests import factories as f
from tests.support.auth import signed_in, signed_in_api
from tests.support.query_ceilings import assert_within_ceiling

MANY = 30


def count(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 200, response.content[:300]
    return len(queries)


@pytest.fixture
def case(batteries):
    org = f.OrganizationFactory(sectors=[batteries])
    company = f.CompanyUserFactory(organization=org)
    official = f.OfficialFactory(sectors=[batteries])
    concern = f.ConcernFactory(organization=org, submitted_by=company, sector=batteries)
    return {"company": company, "official": official, "concern": concern, "sector": batteries}


def add_referrals(concern, official, n):
    schemes = list(SupportScheme.objects.order_by("pk"))
    start = concern.referrals.count()
    for i in range(n):
        f.ReferralFactory(
            concern=concern,
            number=start + i + 1,
            support_organization=None,
            support_scheme=schemes[(start + i) % len(schemes)],
            proposed_by=official,
        )


@pytest.mark.django_db
def test_referral_lists_and_pages_cost_the_same_for_one_and_many(case):
    concern, official, company = case["concern"], case["official"], case["company"]
    calls = {
        "GET /api/v1/concerns/{id}/referrals/": [
            lambda: signed_in_api(official).get(f"/api/v1/concerns/{concern.pk}/referrals/"),
            lambda: signed_in_api(company).get(f"/api/v1/concerns/{concern.reference}/referrals/"),
        ],
        "workspace:concern-detail": [
            lambda: signed_in(official).get(reverse("workspace:concern-detail", args=[concern.pk]))
        ],
        "portal:concern-detail": [
            lambda: signed_in(company).get(
                reverse("portal:concern-detail", args=[concern.reference])
            )
        ],
        "workspace:dashboard": [lambda: signed_in(official).get(reverse("workspace:dashboard"))],
    }
    add_referrals(concern, official, 1)
    few = {name: [count(call) for call in group] for name, group in calls.items()}
    add_referrals(concern, official, MANY)
    many = {name: [count(call) for call in group] for name, group in calls.items()}
    assert many == few
    name = "GET /api/v1/concerns/{id}/referrals/"
    assert_within_ceiling(name, max(many[name]))


@pytest.mark.django_db
def test_catalogue_lists_cost_the_same_for_few_and_many_entries(case):
    official, company = case["official"], case["company"]
    calls = {
        "GET /api/v1/support-schemes/": lambda: signed_in_api(company).get(
            "/api/v1/support-schemes/?page_size=200"
        ),
        "GET /api/v1/support-organizations/": lambda: signed_in_api(official).get(
            "/api/v1/support-organizations/?page_size=200&size_class=sme"
        ),
        "workspace:support-catalogue": lambda: signed_in(official).get(
            reverse("workspace:support-catalogue")
        ),
        "portal:support-finder": lambda: signed_in(company).get(
            reverse("portal:support-finder") + "?threat_code=2-1"
        ),
    }
    few = {name: count(call) for name, call in calls.items()}
    jetro = SupportOrganization.objects.get(reference_key="jetro")
    for i in range(MANY):
        organization = f.SupportOrganizationFactory(name_ja=f"追加の支援機関{i}")
        organization.sectors.set([case["sector"]])
        scheme = f.SupportSchemeFactory(organization=jetro, name_ja=f"追加の支援策{i}")
        scheme.threat_categories.set(jetro.threat_categories.all())
    many = {name: count(call) for name, call in calls.items()}
    assert many == few
    for name in ("GET /api/v1/support-schemes/", "GET /api/v1/support-organizations/"):
        assert_within_ceiling(name, many[name])
