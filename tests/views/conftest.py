"""People and clients for the workspace page tests."""

import pytest
from django.test import Client

from tests import factories as f
from tests.support.auth import signed_in


@pytest.fixture
def semi_official(semiconductors):
    return f.OfficialFactory(
        username="semi_official", last_name="半田", first_name="一郎", sectors=[semiconductors]
    )


@pytest.fixture
def batt_official(batteries):
    return f.OfficialFactory(
        username="batt_official", last_name="電池", first_name="次郎", sectors=[batteries]
    )


@pytest.fixture
def secretariat(reference_data):
    return f.SecretariatFactory(username="secretariat", last_name="経済", first_name="花子")


@pytest.fixture
def company_user(semiconductors):
    return f.CompanyUserFactory(
        username="company_a", organization=f.OrganizationFactory(sectors=[semiconductors])
    )


@pytest.fixture
def as_semi(semi_official) -> Client:
    return signed_in(semi_official)


@pytest.fixture
def as_batt(batt_official) -> Client:
    return signed_in(batt_official)


@pytest.fixture
def as_secretariat(secretariat) -> Client:
    return signed_in(secretariat)


@pytest.fixture
def creator(reference_data):
    return f.SecretariatFactory(username="creator")
