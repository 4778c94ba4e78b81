"""The API's world: company A and B in semiconductors (A with two people), officials of
semiconductors and batteries, the secretariat, and a semiconductors official named on a RED
threat ("red-reader", none of the roles).

Company A's AMBER+STRICT concern has a reply, an internal note and attachments (one on the
note); semiconductors has AMBER and GREEN threats, chokepoints, sessions and actions linked
to A's; batteries has its own AMBER ones; a draft plan revision, the secretariat's queued
export job and company A's named API token ("A-token").

The strings below identify each company or belong to officials only: the sweeps search
every body a role receives for those it must never see.
"""

import io

from django.core.management import call_command
from django.utils import timezone

from dialogue.enums import Marking
from dialogue.models import (
    ApiToken,
    ExportJob,
    Sector,
    SupportOrganization,
    SupportScheme,
    ThreatCategory,
)
from dialogue.services.plans import plan_revision_start
from dialogue.validators import corporate_number_check_digit
from tests import factories as f


def corporate_number(base12: str) -> str:
    return f"{corporate_number_check_digit(base12)}{base12}"


# What identifies each company (and must never reach the other one).
A_NAME, A_NAME_EN = "阿留波精密工業株式会社", "Arupa Precision Works"
A_NUMBER = corporate_number("734512986301")
A_USERNAMES = ("arupa-kanri", "arupa-gijutsu")
A_CONCERN_TITLE = "阿留波社 フォトレジスト輸出規制への対応相談"
A_CONCERN_TEXT = "阿留波社の主要顧客から規制該当性の確認を求められています。"
A_PARTICIPANT = "阿留波 太郎"
B_NAME, B_NAME_EN = "部多電子株式会社", "Beta Denshi Kogyo"
B_NUMBER = corporate_number("845623097412")
B_USERNAMES = ("beta-kanri",)
B_CONCERN_TITLE = "部多電子 装置部品の調達途絶の相談"
B_PARTICIPANT = "部多 花子"
# Officials only.
INTERNAL_NOTE = "内部メモ: 規制当局に非公式に照会済み（社名は伏せること）"
INTERNAL_FILE = "内部照会記録.pdf"
# Named people only (none of the six roles).
RED_TITLE = "赤区分: 特定工場を狙う標的型攻撃の兆候"
# Semiconductors' and batteries' AMBER items.
SEMI_AMBER = {
    "threat": "半導体AMBER脅威: 退職技術者経由の流出",
    "chokepoint": "半導体AMBERチョークポイント: 高純度レジスト",
    "session": "半導体AMBER対話: 阿留波社ヒアリング",
    "joint_session": "半導体AMBER対話: 合同ラウンドテーブル",
    "action": "半導体AMBERアクション: 阿留波社の自主点検",
    "dependency": "半導体AMBER依存: 高純度フッ化物の原料",
}
BATT_AMBER = {
    "threat": "電池AMBER脅威: 正極材の供給途絶",
    "chokepoint": "電池AMBERチョークポイント: 固体電解質",
    "session": "電池AMBER対話: 電池工業会",
    "action": "電池AMBERアクション: 備蓄の点検",
    # Only in the sweep world: a forum agenda raises it before the semiconductors official.
    "dependency": "電池AMBER依存: 正極材の前駆体",
}

A_IDENTIFYING = (A_NAME, A_NAME_EN, A_NUMBER, *A_USERNAMES, A_CONCERN_TITLE, A_CONCERN_TEXT)
A_IDENTIFYING += (A_PARTICIPANT,)
B_IDENTIFYING = (B_NAME, B_NAME_EN, B_NUMBER, *B_USERNAMES, B_CONCERN_TITLE, B_PARTICIPANT)
CONCERN_SECRETS = (A_CONCERN_TITLE, B_CONCERN_TITLE, INTERNAL_NOTE, INTERNAL_FILE)


def build_api_world() -> dict:
    call_command("load_reference_data", stdout=io.StringIO())
    semi = Sector.objects.get(code="semiconductors")
    batt = Sector.objects.get(code="batteries")
    code = {c.code: c for c in ThreatCategory.objects.filter(code__in=["1-2", "2-1", "2-2"])}

    org_a = f.OrganizationFactory(
        name=A_NAME, name_en=A_NAME_EN, corporate_number=A_NUMBER, sectors=[semi]
    )
    org_b = f.OrganizationFactory(
        name=B_NAME, name_en=B_NAME_EN, corporate_number=B_NUMBER, sectors=[semi]
    )
    users = {
        "company_a": f.CompanyUserFactory(username=A_USERNAMES[0], organization=org_a),
        "company_b": f.CompanyUserFactory(username=B_USERNAMES[0], organization=org_b),
        "sector_official": f.OfficialFactory(username="semi-official", sectors=[semi]),
        "other_sector_official": f.OfficialFactory(username="batt-official", sectors=[batt]),
        "secretariat": f.SecretariatFactory(username="secretariat"),
    }
    f.CompanyUserFactory(username=A_USERNAMES[1], organization=org_a)
    red_reader = f.OfficialFactory(username="red-reader", sectors=[semi])
    secretariat, official = users["secretariat"], users["sector_official"]
    authored = {"created_by": secretariat}

    # Company A's concern: a reply, an internal note, an attachment (and one on the note).
    # Its reference number is one company B's concerns do not have: B asking for it by
    # that number must find nothing.
    concern_a = f.ConcernFactory(
        reference=f"{timezone.localdate().year}-0002",
        organization=org_a,
        submitted_by=users["company_a"],
        sector=semi,
        category=code["2-2"],
        title=A_CONCERN_TITLE,
        description=A_CONCERN_TEXT,
        marking=Marking.AMBER_STRICT,
    )
    f.ConcernMessageFactory(concern=concern_a, author=official, body="確認して回答します。")
    note = f.ConcernMessageFactory(
        concern=concern_a, author=official, body=INTERNAL_NOTE, is_internal=True
    )
    attachment_a = f.ConcernAttachmentFactory(
        concern=concern_a, uploaded_by=users["company_a"], original_name="報告書.pdf"
    )
    internal_attachment = f.ConcernAttachmentFactory(
        concern=concern_a, message=note, uploaded_by=official, original_name=INTERNAL_FILE
    )
    concern_b = f.ConcernFactory(
        organization=org_b,
        submitted_by=users["company_b"],
        sector=semi,
        category=code["2-1"],
        title=B_CONCERN_TITLE,
    )

    # Semiconductors at AMBER (company A's session, chokepoint and action).
    session_a = f.DialogueSessionFactory(
        title=SEMI_AMBER["session"], sectors=[semi], participating_organizations=[org_a], **authored
    )
    joint_session = f.DialogueSessionFactory(
        title=SEMI_AMBER["joint_session"],
        sectors=[semi],
        participating_organizations=[org_a, org_b],
        **authored,
    )
    for session in (session_a, joint_session):
        session.participants.create(name=A_PARTICIPANT, organization=org_a, affiliation="技術部")
        session.participants.create(name="経済 一郎", affiliation="経済産業省")
        session.agenda_items.create(topic="chokepoints", note="レジストの流出懸念")
    joint_session.participants.create(name=B_PARTICIPANT, organization=org_b)
    chokepoint_a = f.ChokepointFactory(
        name=SEMI_AMBER["chokepoint"], sector=semi, holder_organizations=[org_a]
    )
    threat_semi = f.ThreatFactory(
        title=SEMI_AMBER["threat"],
        sector=semi,
        category=code["1-2"],
        source_session=session_a,
        source_concern=concern_a,
        **authored,
    )
    threat_semi.chokepoints.set([chokepoint_a])
    # An AMBER dependency of semiconductors, linked to the threat, A's concern and A's
    # chokepoint: no company user sees it, and the concern is only ever counted.
    dependency_semi = f.DependencyFactory(
        product=SEMI_AMBER["dependency"], sector=semi, country="CN", created_by=official
    )
    dependency_semi.threats.set([threat_semi])
    dependency_semi.concerns.set([concern_a])
    dependency_semi.chokepoints.set([chokepoint_a])
    action_a = f.FollowUpActionFactory(
        title=SEMI_AMBER["action"],
        sector=semi,
        owner=users["company_a"],
        owner_organization=org_a,
        session=session_a,
        threat=threat_semi,
        concern=concern_a,
        **authored,
    )

    # Semiconductors at GREEN, linked to company A's items: every semiconductor company sees
    # them, but not what links them to company A.
    chokepoint_shared = f.ChokepointFactory(
        name="半導体GREENチョークポイント: 露光装置部材",
        sector=semi,
        marking=Marking.GREEN,
        holder_organizations=[org_a, org_b],
    )
    threat_green = f.ThreatFactory(
        title="半導体GREEN脅威: 輸出規制の強化",
        sector=semi,
        category=code["2-2"],
        marking=Marking.GREEN,
        source_session=joint_session,
        source_concern=concern_a,
        **authored,
    )
    threat_green.chokepoints.set([chokepoint_a, chokepoint_shared])
    f.FollowUpActionFactory(
        title="半導体GREENアクション: 該非判定の説明会",
        sector=semi,
        owner=official,
        marking=Marking.GREEN,
        session=session_a,
        threat=threat_semi,
        concern=concern_a,
        **authored,
    )
    f.FollowUpActionFactory(
        title="半導体GREENアクション: 取引先への周知",
        sector=semi,
        owner=users["company_a"],
        owner_organization=org_a,
        marking=Marking.GREEN,
        threat=threat_green,
        **authored,
    )

    # Batteries at AMBER.
    batt_session = f.DialogueSessionFactory(title=BATT_AMBER["session"], sectors=[batt], **authored)
    batt_chokepoint = f.ChokepointFactory(name=BATT_AMBER["chokepoint"], sector=batt)
    batt_threat = f.ThreatFactory(
        title=BATT_AMBER["threat"],
        sector=batt,
        category=code["2-1"],
        source_session=batt_session,
        **authored,
    )
    batt_threat.chokepoints.set([batt_chokepoint])
    f.FollowUpActionFactory(
        title=BATT_AMBER["action"],
        sector=batt,
        owner=users["other_sector_official"],
        threat=batt_threat,
        **authored,
    )

    # RED, naming someone who is none of the six roles.
    f.ThreatFactory(
        title=RED_TITLE,
        sector=semi,
        category=code["1-2"],
        marking=Marking.RED,
        named_users=[red_reader],
        **authored,
    )

    # A referral proposed on A's concern, waiting for A's consent.
    support_organization = SupportOrganization.objects.get(reference_key="jetro")
    support_scheme = SupportScheme.objects.get(reference_key="trade-insurance")
    referral_a = f.ReferralFactory(
        concern=concern_a,
        support_organization=support_organization,
        proposed_by=official,
        note="代替販路の開拓をご支援いただけます。",
    )

    draft = plan_revision_start(actor=secretariat, notes="第1版の準備")
    export_job = ExportJob.objects.create(requested_by=secretariat, kind="threats", format="csv")
    f.api_key(users["company_a"], name="A-token")
    return {
        "users": users,
        "semi": semi,
        "batt": batt,
        "org_a": org_a,
        "org_b": org_b,
        "concern_a": concern_a,
        "concern_b": concern_b,
        "attachment_a": attachment_a,
        "internal_attachment": internal_attachment,
        "session_a": session_a,
        "chokepoint_a": chokepoint_a,
        "dependency_semi": dependency_semi,
        "threat_semi": threat_semi,
        "action_a": action_a,
        "draft": draft,
        "export_job": export_job,
        "referral_a": referral_a,
        "support_organization": support_organization,
        "support_scheme": support_scheme,
        "token_a": ApiToken.objects.get(name="A-token"),
    }
