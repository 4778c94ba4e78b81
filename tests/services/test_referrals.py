"""Referrals: who may propose, answer and move them on; consent before anything leaves."""

import pytest
from django.core.exceptions import ValidationError

from dialogue.enums import ConcernStatus, DesiredSupport, NotificationEvent, ReferralStatus
from dialogue.models import Notification, SupportOrganization, SupportScheme
from dialogue.selectors.support import scheme_suggestions
from dialogue.services.common import PermissionDeniedError
from dialogue.services.referrals import (
    concern_link_measures,
    referral_change_status,
    referral_respond,
    referrals_propose,
)
from tests import factories as f


@pytest.fixture
def case(batteries, semiconductors):
    org = f.OrganizationFactory(sectors=[batteries], size_class="sme")
    company = f.CompanyUserFactory(organization=org)
    concern = f.ConcernFactory(
        organization=org,
        submitted_by=company,
        sector=batteries,
        desired_support=DesiredSupport.BUSINESS_CONTINUITY,
    )
    return {
        "concern": concern,
        "company": company,
        "colleague": f.CompanyUserFactory(organization=org),
        "other_company": f.CompanyUserFactory(),
        "official": f.OfficialFactory(sectors=[batteries]),
        "other_official": f.OfficialFactory(sectors=[semiconductors]),
        "jetro": SupportOrganization.objects.get(reference_key="jetro"),
        "scheme": SupportScheme.objects.get(reference_key="overseas-supply-chain-diversification"),
    }


def propose(case, **kwargs):
    return referrals_propose(
        concern=case["concern"],
        actor=kwargs.pop("actor", case["official"]),
        organizations=[case["jetro"]],
        schemes=[case["scheme"]],
        **kwargs,
    )


@pytest.mark.django_db
def test_the_sector_official_proposes_and_the_company_is_asked(case):
    referrals = propose(case, note="ご検討ください")
    assert [(r.number, r.status) for r in referrals] == [
        (1, ReferralStatus.PROPOSED),
        (2, ReferralStatus.PROPOSED),
    ]
    asked = Notification.objects.filter(event=NotificationEvent.REFERRAL_PROPOSED)
    assert set(asked.values_list("recipient", flat=True)) == {
        case["company"].pk,
        case["colleague"].pk,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_official", "company", "other_company"])
def test_only_the_concerns_sector_officials_propose(case, who):
    with pytest.raises(PermissionDeniedError):
        propose(case, actor=case[who])
    assert not case["concern"].referrals.exists()


@pytest.mark.django_db
def test_the_same_help_is_not_proposed_twice_nor_for_a_closed_concern(case):
    propose(case)
    with pytest.raises(ValidationError) as error:
        propose(case)
    assert error.value.message_dict["targets"]
    case["concern"].status = ConcernStatus.WITHDRAWN
    case["concern"].save()
    with pytest.raises(ValidationError):
        referrals_propose(
            concern=case["concern"], actor=case["official"], organizations=[case["jetro"]]
        )
    assert case["concern"].referrals.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_company", "official", "other_official"])
def test_consent_is_given_only_by_the_concerns_own_organization(case, who):
    [referral, _] = propose(case)
    with pytest.raises(PermissionDeniedError):
        referral_respond(referral=referral, actor=case[who], consent=True)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PROPOSED and referral.consented_by is None


@pytest.mark.django_db
def test_consent_is_recorded_then_the_official_records_progress_with_dates(case):
    [referral, _] = propose(case)
    # Nothing may be referred before the company consents, and only it consents.
    with pytest.raises(ValidationError):
        referral_change_status(
            referral=referral, actor=case["official"], status=ReferralStatus.REFERRED
        )
    with pytest.raises(PermissionDeniedError):
        referral_change_status(
            referral=referral, actor=case["official"], status=ReferralStatus.CONSENTED
        )
    referral = referral_respond(referral=referral, actor=case["colleague"], consent=True)
    assert referral.consented_by == case["colleague"] and referral.consented_at is not None
    with pytest.raises(ValidationError):  # answered once
        referral_respond(referral=referral, actor=case["company"], consent=False)
    for status in (ReferralStatus.REFERRED, ReferralStatus.SUPPORT_STARTED, ReferralStatus.CLOSED):
        referral = referral_change_status(
            referral=referral, actor=case["official"], status=status, note=f"{status}"
        )
    assert referral.referred_at <= referral.support_started_at <= referral.closed_at
    assert referral.note == "closed"
    statuses = list(referral.history.order_by("history_id").values_list("status", flat=True))
    assert statuses[0] == "proposed" and statuses[-1] == "closed"
    with pytest.raises(ValidationError):  # closed is final
        referral_change_status(
            referral=referral, actor=case["official"], status=ReferralStatus.REFERRED
        )


@pytest.mark.django_db
def test_the_company_may_decline(case):
    [referral, _] = propose(case)
    referral = referral_respond(referral=referral, actor=case["company"], consent=False)
    assert referral.status == ReferralStatus.DECLINED
    assert referral.declined_by == case["company"] and referral.consented_at is None


@pytest.mark.django_db
def test_officials_link_the_measures_behind_a_concern(case):
    from dialogue.models import ForeignMeasure

    graphite = ForeignMeasure.objects.get(reference_key="cn-export-control-graphite")
    with pytest.raises(PermissionDeniedError):
        concern_link_measures(concern=case["concern"], actor=case["company"], measures=[graphite])
    concern_link_measures(concern=case["concern"], actor=case["official"], measures=[graphite])
    assert list(case["concern"].foreign_measures.all()) == [graphite]
    assert case["concern"].history.first().history_user == case["official"]


@pytest.mark.django_db
def test_coercion_and_continuity_concerns_suggest_matching_schemes(case, code, semiconductors):
    official = case["official"]
    suggested = [s.reference_key for s in scheme_suggestions(official, case["concern"])]
    assert "overseas-supply-chain-diversification" in suggested
    # Large companies are not offered what is for SMEs only.
    assert "jfc-policy-loans" in suggested
    coerced = f.ConcernFactory(
        sector=semiconductors,
        category=code("3-1"),
        desired_support=DesiredSupport.INFORMATION,
        organization=f.OrganizationFactory(size_class="large"),
    )
    secretariat = f.SecretariatFactory()
    coercion = [s.reference_key for s in scheme_suggestions(secretariat, coerced)]
    assert "trade-insurance" in coercion and "coercion-consultation-desk" in coercion
    assert "jfc-policy-loans" not in coercion
    # A question asking only for information on another threat suggests nothing.
    plain = f.ConcernFactory(
        sector=semiconductors, category=code("1-2"), desired_support=DesiredSupport.INFORMATION
    )
    assert scheme_suggestions(secretariat, plain) == []
