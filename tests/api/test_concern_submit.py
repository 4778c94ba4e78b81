"""What a company user may write when submitting a concern through the API."""

import pytest

from dialogue.enums import ConcernStatus, Marking
from dialogue.models import Concern
from tests import factories as f
from tests.support.auth import signed_in_api


@pytest.mark.django_db
def test_a_submitter_cannot_set_what_officials_decide(semiconductors):
    # given
    organization = f.OrganizationFactory(sectors=[semiconductors])
    company = f.CompanyUserFactory(organization=organization)
    colleague = f.CompanyUserFactory(organization=organization)
    client = signed_in_api(company)
    # when: the body also names a status, an assignee and named people
    response = client.post(
        "/api/v1/concerns/",
        {
            "sector": semiconductors.pk,
            "category": "2-1",
            "title": "原料の供給途絶",
            "description": "主要原料の調達先が輸出を停止しました。",
            "desired_support": "information",
            "marking": Marking.AMBER,
            "status": ConcernStatus.CLOSED,
            "assigned_to": company.pk,
            "named_users": [colleague.pk],
        },
        format="json",
    )
    # then: the concern is submitted as such, unassigned, naming nobody; the marking is theirs
    assert response.status_code == 201, response.content
    concern = Concern.objects.get()
    assert concern.status == ConcernStatus.SUBMITTED
    assert concern.assigned_to is None
    assert not concern.named_users.exists()
    assert concern.marking == Marking.AMBER
    body = response.json()
    assert (body["status"], body["assigned_to"], body["named_users"]) == ("submitted", None, [])


@pytest.mark.django_db
def test_officials_do_not_submit_concerns(semiconductors):
    client = signed_in_api(f.OfficialFactory(sectors=[semiconductors]))
    response = client.post(
        "/api/v1/concerns/",
        {
            "sector": semiconductors.pk,
            "category": "2-1",
            "title": "原料の供給途絶",
            "description": "主要原料の調達先が輸出を停止しました。",
            "desired_support": "information",
            "status": ConcernStatus.TRIAGED,
        },
        format="json",
    )
    assert response.status_code == 403
    assert not Concern.objects.exists()
