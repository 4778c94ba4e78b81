"""DOMAIN.md flow 6 through the API: a battery-materials company's concern about the
graphite export control is linked to the measure, referred to JETRO and to the overseas
supply-chain diversification scheme, consented to by the company, and counted in the plan
summary without naming the company."""

import pytest
from django.utils import translation

from dialogue.disclosure import FEWER_THAN_K
from dialogue.enums import DesiredSupport, ReferralStatus
from dialogue.models import ForeignMeasure, SupportOrganization
from dialogue.services.plans import plan_revision_publish, plan_revision_start
from dialogue.services.referrals import referral_respond, referrals_propose
from tests import factories as f
from tests.exports.conftest import parse_csv, read_csv_zip
from tests.support.auth import token_client

COMPANY_NAME = "黒鉛材料工業株式会社"


@pytest.fixture
def battery_people(batteries, semiconductors):
    battery_co = f.OrganizationFactory(name=COMPANY_NAME, sectors=[batteries], size_class="sme")
    other = f.OrganizationFactory(name="別会社株式会社", sectors=[batteries])
    return {
        "company": f.CompanyUserFactory(username="graphite_co", organization=battery_co),
        "other_company": f.CompanyUserFactory(username="other_co", organization=other),
        "official": f.OfficialFactory(username="battery_official", sectors=[batteries]),
        "semi_official": f.OfficialFactory(username="semi_official", sectors=[semiconductors]),
        "secretariat": f.SecretariatFactory(username="plan_team"),
    }


def client_in(username, language):
    """An API client with the user's token, asking for answers in `language`."""
    client = token_client(username)
    client.credentials(
        HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"],
        HTTP_ACCEPT_LANGUAGE=language,
    )
    return client


def _more_referred_companies(batteries, official, jetro, count=2):
    """Other battery companies whose concerns were referred and consented to, so that the
    plan summary's count stands on at least three organizations."""
    for _ in range(count):
        concern = f.ConcernFactory(sector=batteries, desired_support=DesiredSupport.FINANCE)
        [referral] = referrals_propose(concern=concern, actor=official, organizations=[jetro])
        referral_respond(referral=referral, actor=concern.submitted_by, consent=True)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ja", "en"])
def test_flow_6_graphite_concern_referred_with_consent(battery_people, batteries, language):
    company = client_in("graphite_co", language)
    official = client_in("battery_official", language)

    # The company reports the threat to its graphite supply.
    submitted = company.post(
        "/api/v1/concerns/",
        {
            "sector": batteries.pk,
            "category": "2-2",
            "title": "黒鉛の輸出規制による供給途絶の懸念",
            "description": "負極材用の黒鉛の調達先が輸出管理の対象となりました。",
            "desired_support": "business_continuity",
        },
        format="json",
    )
    assert submitted.status_code == 201, submitted.content
    reference = submitted.json()["reference"]
    concern_id = official.get("/api/v1/concerns/?search=黒鉛").json()["results"][0]["id"]

    # The battery official finds the measure, JETRO and the diversification scheme.
    graphite = ForeignMeasure.objects.get(reference_key="cn-export-control-graphite")
    linked = official.put(
        f"/api/v1/concerns/{concern_id}/foreign-measures/",
        {"foreign_measures": [graphite.pk]},
        format="json",
    )
    assert linked.status_code == 200, linked.content
    assert [m["id"] for m in linked.json()] == [graphite.pk]
    found = official.get("/api/v1/support-organizations/?search=JETRO").json()["results"]
    jetro = [o for o in found if o["abbreviation"] == "JETRO"]
    assert len(jetro) == 1
    schemes = official.get(
        "/api/v1/support-schemes/?threat_code=2-2&sector=batteries&size_class=sme&search=多元化"
    ).json()["results"]
    diversification = next(
        s for s in schemes if s["name_ja"] == "海外サプライチェーン多元化等支援事業"
    )
    assert diversification["organization"] == jetro[0]["id"]

    proposed = official.post(
        f"/api/v1/concerns/{concern_id}/referrals/",
        {
            "support_organizations": [jetro[0]["id"]],
            "support_schemes": [diversification["id"]],
            "note": "代替調達先の開拓をご支援いただけます。",
        },
        format="json",
    )
    assert proposed.status_code == 201, proposed.content
    referrals = proposed.json()
    assert [(r["number"], r["status"]) for r in referrals] == [
        (1, ReferralStatus.PROPOSED),
        (2, ReferralStatus.PROPOSED),
    ]
    # Nothing leaves before consent: the official cannot refer it yet.
    early = official.patch(
        f"/api/v1/concerns/{concern_id}/referrals/1/",
        {"status": "referred", "version": referrals[0]["version"]},
        format="json",
    )
    assert early.status_code == 400
    assert early.json()["status"]

    # The company sees the referrals and the measure's name only, and consents.
    seen = company.get(f"/api/v1/concerns/{reference}/referrals/").json()
    assert [r["status"] for r in seen] == ["proposed", "proposed"]
    measures = company.get(f"/api/v1/concerns/{reference}/foreign-measures/").json()
    assert measures == [{"title_ja": graphite.title_ja, "title_en": graphite.title_en}]
    # Another company cannot answer for it (nor even find it); the official cannot consent.
    assert (
        token_client("other_co")
        .post(f"/api/v1/concerns/{reference}/referrals/1/answer/", {"consent": True})
        .status_code
        == 404
    )
    assert (
        official.post(
            f"/api/v1/concerns/{concern_id}/referrals/1/answer/",
            {"consent": True, "version": 1},
            format="json",
        ).status_code
        == 403
    )
    for referral in seen:
        consented = company.post(
            f"/api/v1/concerns/{reference}/referrals/{referral['number']}/answer/",
            {"consent": True, "version": referral["version"]},
            format="json",
        )
        assert consented.status_code == 200, consented.content
        assert consented.json()["status"] == "consented"
        assert consented.json()["consented_by"] == "graphite_co"
        assert consented.json()["consented_at"]
    assert (
        company.patch(
            f"/api/v1/concerns/{reference}/referrals/1/",
            {"status": "support_started", "version": 2},
            format="json",
        ).status_code
        == 403
    )

    # The official records that support started.
    current = official.get(f"/api/v1/concerns/{concern_id}/referrals/1/").json()
    started = official.patch(
        f"/api/v1/concerns/{concern_id}/referrals/1/",
        {
            "status": "support_started",
            "note": "JETROの伴走支援を開始",
            "version": current["version"],
        },
        format="json",
    )
    assert started.status_code == 200, started.content
    assert started.json()["status"] == "support_started"
    assert started.json()["support_started_at"]

    # The plan summary counts referrals by sector and status, without naming anyone.
    people = battery_people
    _more_referred_companies(
        batteries, people["official"], SupportOrganization.objects.get(reference_key="jetro")
    )
    plan_team = client_in("plan_team", language)
    revision = plan_revision_start(actor=people["secretariat"])
    plan_revision_publish(revision=revision, actor=people["secretariat"])
    exported = plan_team.get(f"/api/v1/plan-revisions/{revision.pk}/export/?format=csv")
    assert exported.status_code == 200
    files = read_csv_zip(b"".join(exported.streaming_content))
    [referral_file] = [name for name in files if "referrals" in name]
    rows = parse_csv(files[referral_file])
    battery_rows = {row[2]: row[3] for row in rows[1:] if row[0] == "batteries"}
    translation.activate(language)  # the file is in the requester's language
    consented_label = "承諾済み" if language == "ja" else "Consented"
    started_label = "支援開始" if language == "ja" else "Support started"
    # Three organizations stand behind the consented referrals (the company's scheme
    # referral and the two others); only one behind "support started".
    assert battery_rows[consented_label] == "3"
    assert battery_rows[started_label] == str(FEWER_THAN_K)
    everything = b"".join(files.values()).decode("utf-8-sig")
    assert COMPANY_NAME not in everything
    assert "黒鉛の輸出規制" not in everything
