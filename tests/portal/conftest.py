"""Two organizations in the same sector, their people, and one of everything for company A."""

import pytest
from django.core.cache import cache

from dialogue.enums import ConcernStatus, Marking, SizeClass
from dialogue.services.invitations import invitation_create
from tests import factories as f


@pytest.fixture(autouse=True)
def fresh_cache_and_media(settings, tmp_path):
    """Throttle counters live in the cache (shared by the test process): start empty.
    Uploaded files go to a folder of this test, so "nothing left on disk" is checkable."""
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    cache.clear()


def media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def world(semiconductors, batteries, code):
    """Company A (three people) and company B (two), a semiconductor official, and A's records."""
    org_a = f.OrganizationFactory(name="株式会社A", name_en="A Corp.", sectors=[semiconductors])
    org_b = f.OrganizationFactory(
        name="株式会社B", name_en="B Corp.", sectors=[semiconductors], size_class=SizeClass.SME
    )
    a = f.CompanyUserFactory(username="company_a", organization=org_a, last_name="田中")
    a_admin = f.CompanyUserFactory(username="admin_a", organization=org_a, is_org_admin=True)
    a_colleague = f.CompanyUserFactory(username="colleague_a", organization=org_a)
    b = f.CompanyUserFactory(username="company_b", organization=org_b)
    b_admin = f.CompanyUserFactory(username="admin_b", organization=org_b, is_org_admin=True)
    official = f.OfficialFactory(username="semi_official", sectors=[semiconductors])
    concern = f.ConcernFactory(
        organization=org_a,
        submitted_by=a,
        sector=semiconductors,
        category=code("2-2"),
        title="ガリウム輸出規制の影響",
        marking=Marking.AMBER_STRICT,
        status=ConcernStatus.TRIAGED,
    )
    reply = f.ConcernMessageFactory(
        concern=concern, author=official, body="ご相談ありがとうございます。"
    )
    note = f.ConcernMessageFactory(
        concern=concern, author=official, body="INTERNAL-NOTE-SECRET", is_internal=True
    )
    attachment = f.ConcernAttachmentFactory(concern=concern, uploaded_by=a)
    referral = f.ReferralFactory(concern=concern, proposed_by=official)
    note_file = f.ConcernAttachmentFactory(
        concern=concern, message=note, uploaded_by=official, original_name="internal.pdf"
    )
    action = f.FollowUpActionFactory(
        title="調達先の多様化を検討する",
        sector=semiconductors,
        owner=a,
        owner_organization=org_a,
        marking=Marking.AMBER,
        concern=concern,
    )
    official_action = f.FollowUpActionFactory(
        title="官側のアクション", sector=semiconductors, owner=official, marking=Marking.CLEAR
    )
    # A notice to the large semiconductor companies: company A, not company B.
    notice = f.NoticeFactory(sectors=[semiconductors], size_classes=",large,")
    pending, _link = invitation_create(
        inviter=a_admin, organization=org_a, email="newcomer@a.example.jp"
    )
    return {
        "org_a": org_a,
        "org_b": org_b,
        "a": a,
        "a_admin": a_admin,
        "a_colleague": a_colleague,
        "b": b,
        "b_admin": b_admin,
        "official": official,
        "concern": concern,
        "reply": reply,
        "note": note,
        "attachment": attachment,
        "referral": referral,
        "note_file": note_file,
        "action": action,
        "official_action": official_action,
        "notice": notice,
        "invitation": pending,
        # Company A's user's API token (named, so that a page listing it can be checked).
        "token": a.api_tokens.get(pk=_issue_token(a)),
    }


def _issue_token(user) -> int:
    from dialogue.services.tokens import api_token_issue

    return api_token_issue(user=user, name="A社の連携トークン")[0].pk
