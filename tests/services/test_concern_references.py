"""Each organization numbers its own concerns per year: 2026-0001, 2026-0002 …

A company must not learn from a concern's number how many concerns every company has
filed: the number counts only its own organization's concerns of that year.
"""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from dialogue.models import Concern
from dialogue.services.concerns import concern_reference_next, concern_submit
from tests import factories as f

YEAR = timezone.localdate().year


def submit(user, sector, title="輸出規制の相談"):
    return concern_submit(user=user, sector=sector, category="2-2", title=title, description="詳細")


@pytest.mark.django_db
def test_each_organization_counts_its_own_concerns(semiconductors):
    # given: two companies submitting in turns
    a = f.CompanyUserFactory(organization=f.OrganizationFactory(sectors=[semiconductors]))
    b = f.CompanyUserFactory(organization=f.OrganizationFactory(sectors=[semiconductors]))

    # when
    numbers = [submit(user, semiconductors).reference for user in (a, b, b, a, b, a)]

    # then: each counts 1, 2, 3 … whatever the other one filed in between
    assert numbers == [
        f"{YEAR}-0001",
        f"{YEAR}-0001",
        f"{YEAR}-0002",
        f"{YEAR}-0002",
        f"{YEAR}-0003",
        f"{YEAR}-0003",
    ]


@pytest.mark.django_db
def test_a_new_year_starts_again_at_one(semiconductors):
    user = f.CompanyUserFactory(organization=f.OrganizationFactory(sectors=[semiconductors]))
    submit(user, semiconductors)
    submit(user, semiconductors)

    org = user.organization_id
    assert concern_reference_next(organization_id=org) == f"{YEAR}-0003"
    assert concern_reference_next(organization_id=org, on=datetime.date(YEAR + 1, 1, 1)) == (
        f"{YEAR + 1}-0001"
    )


@pytest.mark.django_db
def test_numbers_continue_after_the_highest_past_9999(semiconductors):
    user = f.CompanyUserFactory(organization=f.OrganizationFactory(sectors=[semiconductors]))
    f.ConcernFactory(organization=user.organization, reference=f"{YEAR}-9999")
    assert submit(user, semiconductors).reference == f"{YEAR}-10000"
    assert submit(user, semiconductors).reference == f"{YEAR}-10001"


@pytest.mark.django_db
def test_two_concerns_of_one_organization_never_share_a_number(semiconductors):
    # given
    org = f.OrganizationFactory(sectors=[semiconductors])
    f.ConcernFactory(organization=org, reference=f"{YEAR}-0001")

    # then: the database refuses a second one with the same number, whoever writes it
    # (two submissions racing past the lock would fail here rather than share a number)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ConcernFactory(organization=org, reference=f"{YEAR}-0001")

    # and: another organization has its own 0001
    other = f.ConcernFactory(reference=f"{YEAR}-0001")
    assert other.reference == f"{YEAR}-0001"


@pytest.mark.django_db
def test_the_number_cannot_be_changed(semiconductors):
    from dialogue.services.concerns import concern_update

    concern = f.ConcernFactory(sector=semiconductors)
    official = f.SecretariatFactory()
    with pytest.raises(ValueError, match="reference"):
        concern_update(concern=concern, actor=official, changes={"reference": f"{YEAR}-0099"})
    concern.refresh_from_db()
    assert concern.reference == f"{YEAR}-0001"


@pytest.mark.django_db
def test_the_migration_numbers_existing_concerns_in_submission_order(semiconductors):
    # given: concerns of two organizations over two years, created out of date order
    a, b = f.OrganizationFactory(), f.OrganizationFactory()

    def at(year, month, day):
        return datetime.datetime(year, month, day, 10, tzinfo=timezone.get_current_timezone())

    made = {
        "a-2025-late": (a, at(2025, 11, 5)),
        "a-2026-first": (a, at(2026, 1, 1)),  # midnight+10h Tokyo time: 2026 there
        "a-2025-early": (a, at(2025, 3, 1)),
        "b-2025": (b, at(2025, 6, 1)),
        "a-2026-second": (a, at(2026, 2, 1)),
    }
    concerns = {}
    for n, (name, (org, created)) in enumerate(made.items()):
        concern = f.ConcernFactory(organization=org)
        Concern.objects.filter(pk=concern.pk).update(created_at=created, reference=f"old-{n}")
        concerns[name] = concern

    # when
    migration = importlib.import_module("dialogue.migrations.0006_concern_reference")
    migration.number_existing_concerns(apps, None)

    # then
    numbers = {
        name: Concern.objects.get(pk=concern.pk).reference for name, concern in concerns.items()
    }
    assert numbers == {
        "a-2025-early": "2025-0001",
        "a-2025-late": "2025-0002",
        "a-2026-first": "2026-0001",
        "a-2026-second": "2026-0002",
        "b-2025": "2025-0001",
    }
