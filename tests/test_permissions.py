"""The authorization predicates: one rule for "secretariat", and it needs an active account."""

import pytest

from dialogue.enums import JobKind, Marking, Role
from dialogue.models import JobRun, Threat
from dialogue.permissions import (
    can_deactivate,
    can_manage_plan,
    can_manage_sector,
    is_secretariat,
    may_use_portal,
    may_use_workspace,
)
from dialogue.selectors.dashboard import in_my_sectors
from dialogue.services.common import PermissionDeniedError
from dialogue.services.plans import plan_revision_start
from tests import factories as f


@pytest.fixture
def threats(semiconductors, batteries):
    return [
        f.ThreatFactory(sector=semiconductors, marking=Marking.AMBER),
        f.ThreatFactory(sector=batteries, marking=Marking.AMBER),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make",
    [
        lambda: f.SecretariatFactory(),
        lambda: f.UserFactory(role=Role.ADMIN, is_staff=True),
        lambda: f.UserFactory(role=Role.OFFICIAL, is_superuser=True, is_staff=True),
    ],
    ids=["secretariat", "administrator", "superuser"],
)
def test_an_active_secretariat_account_is_the_secretariat(make, threats, semiconductors):
    # given
    user = make()
    JobRun.objects.create(kind=JobKind.DIGESTS, token="run-1")
    # then
    assert is_secretariat(user) and user.is_secretariat
    assert can_manage_plan(user)
    assert can_manage_sector(user, semiconductors)
    assert Threat.objects.visible_to(user).count() == 2
    assert in_my_sectors(Threat.objects.all(), user).count() == 2
    assert JobRun.objects.visible_to(user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make",
    [
        lambda: f.SecretariatFactory(is_active=False),
        lambda: f.UserFactory(role=Role.ADMIN, is_staff=True, is_active=False),
        lambda: f.UserFactory(role=Role.OFFICIAL, is_superuser=True, is_active=False),
    ],
    ids=["secretariat", "administrator", "superuser"],
)
def test_a_deactivated_secretariat_account_is_not_the_secretariat_anywhere(
    make, threats, semiconductors
):
    # given
    user = make()
    colleague = f.OfficialFactory(sectors=[semiconductors])
    JobRun.objects.create(kind=JobKind.DIGESTS, token="run-1")
    # then: no predicate, no list and no service treats it as the secretariat
    assert not is_secretariat(user)
    assert not user.is_secretariat
    assert not can_manage_plan(user)
    assert not can_manage_sector(user, semiconductors)
    assert not can_deactivate(user, colleague)
    assert not may_use_workspace(user)
    assert not Threat.objects.visible_to(user).exists()
    assert not in_my_sectors(Threat.objects.all(), user).exists()
    assert not JobRun.objects.visible_to(user).exists()
    with pytest.raises(PermissionDeniedError):
        plan_revision_start(actor=user)


@pytest.mark.django_db
def test_front_doors_are_decided_by_role_and_an_active_account(semiconductors):
    official = f.OfficialFactory(sectors=[semiconductors])
    company = f.CompanyUserFactory()
    assert may_use_workspace(official) and not may_use_portal(official)
    assert may_use_portal(company) and not may_use_workspace(company)
    company.is_active = False
    official.is_active = False
    assert not may_use_portal(company)
    assert not may_use_workspace(official)
