"""The digests page: a person reads only their own digests and sets how often they come."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogue.enums import DigestFrequency
from dialogue.models import Digest
from dialogue.services.digests import digest_round
from tests import factories as f


@pytest.fixture
def two_officials(semiconductors, batteries):
    joined = timezone.now() - datetime.timedelta(days=30)
    return (
        f.OfficialFactory(sectors=[semiconductors], date_joined=joined, email="a@x.jp"),
        f.OfficialFactory(sectors=[batteries], date_joined=joined, email="b@x.jp"),
    )


@pytest.mark.django_db
def test_my_digest_is_listed_and_readable_but_not_someone_elses(
    client, two_officials, semiconductors
):
    mine, other = two_officials
    f.ThreatFactory(sector=semiconductors, title="半導体の新しい脅威")
    digest_round(today=datetime.date(2026, 11, 25))
    my_digest = Digest.objects.filter(recipient=mine).latest("period_start")
    their_digest = Digest.objects.filter(recipient=other).latest("period_start")

    client.force_login(mine)
    listing = client.get(reverse("workspace:digest-list"), HTTP_ACCEPT_LANGUAGE="en")
    assert listing.status_code == 200
    assert reverse("workspace:digest-detail", args=[my_digest.pk]) in listing.content.decode()
    page = client.get(
        reverse("workspace:digest-detail", args=[my_digest.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 200
    assert "semiconductors" in page.content.decode()
    assert client.get(reverse("workspace:digest-detail", args=[their_digest.pk])).status_code == 404


@pytest.mark.django_db
def test_choosing_monthly_for_one_sector(client, two_officials, semiconductors):
    mine, _ = two_officials
    client.force_login(mine)
    response = client.post(
        reverse("workspace:digest-preferences"),
        {"digest_frequency": DigestFrequency.MONTHLY, "digest_sectors": [semiconductors.pk]},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.digest_frequency == DigestFrequency.MONTHLY
    assert list(mine.digest_sectors.all()) == [semiconductors]


@pytest.mark.django_db
def test_a_bad_frequency_is_refused_and_nothing_changes(client, two_officials):
    mine, _ = two_officials
    client.force_login(mine)
    response = client.post(reverse("workspace:digest-preferences"), {"digest_frequency": "hourly"})
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.digest_frequency == DigestFrequency.WEEKLY


@pytest.mark.django_db
def test_company_users_have_no_digest_pages(client):
    client.force_login(f.CompanyUserFactory())
    assert client.get(reverse("workspace:digest-list")).status_code in (302, 403)
