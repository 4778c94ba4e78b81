import pytest
from rest_framework.test import APIClient

from tests import factories as f


@pytest.fixture
def api():
    """An API client signed in as `user` (None: anonymous), with CSRF enforced like a browser."""

    def make(user=None) -> APIClient:
        client = APIClient(enforce_csrf_checks=True)
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def people(semiconductors, batteries):
    """Company A and B in semiconductors, officials of both sectors, the secretariat."""
    org_a = f.OrganizationFactory(name="株式会社A", sectors=[semiconductors])
    org_b = f.OrganizationFactory(name="株式会社B", sectors=[semiconductors])
    return {
        "company_a": f.CompanyUserFactory(username="company_a", organization=org_a),
        "company_b": f.CompanyUserFactory(username="company_b", organization=org_b),
        "official": f.OfficialFactory(username="semi_official", sectors=[semiconductors]),
        "other_official": f.OfficialFactory(username="batt_official", sectors=[batteries]),
        "secretariat": f.SecretariatFactory(username="secretariat"),
    }
