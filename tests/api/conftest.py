import pytest
from rest_framework.test import APIClient

from tests import factories as f
from tests.support.auth import signed_in_api


@pytest.fixture
def api():
    """An API client signed in as `user` (None: anonymous), with CSRF enforced like a browser."""

    def make(user=None) -> APIClient:
        return signed_in_api(user, enforce_csrf_checks=True)

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
