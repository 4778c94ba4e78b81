"""The reader's own sectors and forums are read once per user object and written into the
SQL as constants (`querysets.reader_ids`): never older than the request that reads them."""

import pytest
from django.urls import reverse

from dialogue.enums import Marking
from dialogue.models import Threat
from tests import factories as f
from tests.support.auth import signed_in, signed_in_api

pytestmark = pytest.mark.django_db


@pytest.fixture
def amber_batteries_threat(batteries, code):
    return f.ThreatFactory(sector=batteries, category=code("2-1"), marking=Marking.AMBER)


def test_a_sector_given_to_an_official_counts_once_the_user_is_reloaded(
    semiconductors, batteries, amber_batteries_threat
):
    official = f.OfficialFactory(sectors=[semiconductors])
    assert not Threat.objects.visible_to(official).filter(pk=amber_batteries_threat.pk).exists()

    official.sectors.add(batteries)
    official.refresh_from_db()

    assert Threat.objects.visible_to(official).filter(pk=amber_batteries_threat.pk).exists()


def test_a_sector_taken_from_an_official_stops_counting_once_the_user_is_reloaded(
    batteries, amber_batteries_threat
):
    official = f.OfficialFactory(sectors=[batteries])
    assert Threat.objects.visible_to(official).filter(pk=amber_batteries_threat.pk).exists()

    official.sectors.clear()
    official.refresh_from_db()

    assert not Threat.objects.visible_to(official).filter(pk=amber_batteries_threat.pk).exists()


def test_the_next_page_reflects_a_sector_change_made_since_the_last_one(
    semiconductors, batteries, amber_batteries_threat
):
    official = f.OfficialFactory(sectors=[semiconductors])
    browser = signed_in(official)
    detail = reverse("workspace:threat-detail", args=[amber_batteries_threat.pk])
    assert browser.get(detail).status_code == 404

    official.sectors.add(batteries)  # e.g. by an administrator, between two requests
    assert browser.get(detail).status_code == 200

    official.sectors.remove(batteries)
    assert browser.get(detail).status_code == 404


def test_the_next_api_request_reflects_a_sector_change(
    semiconductors, batteries, amber_batteries_threat
):
    official = f.OfficialFactory(sectors=[semiconductors])
    api = signed_in_api(official)
    url = f"/api/v1/threats/{amber_batteries_threat.pk}/"
    assert api.get(url).status_code == 404

    official.sectors.add(batteries)
    assert api.get(url).status_code == 200


def test_a_company_sees_green_threats_of_a_sector_its_organization_joins(
    semiconductors, batteries, code
):
    organization = f.OrganizationFactory(sectors=[semiconductors])
    company = f.CompanyUserFactory(organization=organization)
    green = f.ThreatFactory(sector=batteries, category=code("2-1"), marking=Marking.GREEN)
    api = signed_in_api(company)
    assert green.pk not in {row["id"] for row in api.get("/api/v1/threats/").json()["results"]}

    organization.sectors.add(batteries)

    assert green.pk in {row["id"] for row in api.get("/api/v1/threats/").json()["results"]}
