"""`manage.py seed_demo`: demo accounts and a small, realistic Japanese sample.

Idempotent: every row is looked up by a stable key (username, corporate number,
title …) and created only when missing, so a second run creates nothing. The
accounts share one known password (`--password`, default `demo-pass-2026`):
never run this against a production database.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dialogue.enums import (
    ActionStatus,
    AgendaTopic,
    ConcernLevel,
    ConcernStatus,
    DesiredSupport,
    Marking,
    OrganizationKind,
    PlanRevisionStatus,
    PolicyPillar,
    Priority,
    Role,
    SessionFormat,
    SessionStatus,
    SizeClass,
    SupplyChainStage,
    ThreatStatus,
)
from dialogue.models import (
    AgendaItem,
    ChokepointTechnology,
    Concern,
    ConcernMessage,
    DialogueSession,
    FollowUpAction,
    Organization,
    Participant,
    PlanRevision,
    Sector,
    Threat,
    ThreatCategory,
    User,
)
from dialogue.validators import corporate_number_check_digit

DEFAULT_PASSWORD = "demo-pass-2026"

REQUIRED_SECTORS = ("semiconductors", "batteries")
REQUIRED_CODES = ("1-1", "1-2", "2-1", "2-2")


def corporate_number(base12: str) -> str:
    """A valid 13-digit corporate number for a fictional 12-digit base."""
    return f"{corporate_number_check_digit(base12)}{base12}"


# Fictional organizations; the 12-digit bases are outside the ranges the test
# factories (1000…) and generate_bench_data (99…) use.
ORGANIZATIONS = {
    "semicon_materials": {
        "name": "株式会社サンプル半導体材料",
        "name_en": "Sample Semiconductor Materials Co., Ltd.",
        "base": "801100000001",
        "kind": OrganizationKind.COMPANY,
        "size_class": SizeClass.LARGE,
        "sectors": ["semiconductors"],
    },
    "battery_maker": {
        "name": "株式会社サンプル蓄電池",
        "name_en": "Sample Storage Battery Corporation",
        "base": "801100000002",
        "kind": OrganizationKind.COMPANY,
        "size_class": SizeClass.LARGE,
        "sectors": ["batteries"],
    },
    "fine_chemicals": {
        "name": "架空精密化学工業株式会社",
        "name_en": "Kakuu Fine Chemical Industries, Ltd.",
        "base": "801100000003",
        "kind": OrganizationKind.COMPANY,
        "size_class": SizeClass.SME,
        "sectors": ["semiconductors"],
    },
    "semicon_association": {
        "name": "一般社団法人サンプル半導体材料協会",
        "name_en": "Sample Semiconductor Materials Association",
        "base": "801100000004",
        "kind": OrganizationKind.ASSOCIATION,
        "size_class": SizeClass.LARGE,
        "sectors": ["semiconductors", "batteries"],
    },
}

ACCOUNTS = [
    {
        "username": "secretariat",
        "role": Role.SECRETARIAT,
        "last_name": "経済",
        "first_name": "花子",
        "email": "secretariat@example.go.jp",
    },
    {
        "username": "semicon_official",
        "role": Role.OFFICIAL,
        "last_name": "半田",
        "first_name": "一郎",
        "email": "semicon_official@example.go.jp",
        "sectors": ["semiconductors"],
        "leads": ["semiconductors"],
    },
    {
        "username": "battery_official",
        "role": Role.OFFICIAL,
        "last_name": "電池",
        "first_name": "次郎",
        "email": "battery_official@example.go.jp",
        "sectors": ["batteries"],
    },
    {
        "username": "company_a",
        "role": Role.COMPANY,
        "last_name": "材料",
        "first_name": "恵子",
        "email": "company_a@example.co.jp",
        "organization": "semicon_materials",
        "is_org_admin": True,
    },
    {
        "username": "company_b",
        "role": Role.COMPANY,
        "last_name": "蓄田",
        "first_name": "健太",
        "email": "company_b@example.co.jp",
        "organization": "battery_maker",
    },
    {
        "username": "admin",
        "role": Role.ADMIN,
        "last_name": "管理",
        "first_name": "太郎",
        "email": "admin@example.go.jp",
        "superuser": True,
    },
]

MINUTES_HEARING = """\
# 半導体材料企業ヒアリング 議事録

- 日時：{held_on}　14:00〜15:30
- 場所：経済産業省 本館（オンライン併用）
- 出席：株式会社サンプル半導体材料（技術統括部・法務部）、経済産業省 半導体担当

## 1. 技術管理の取組
- 重点的に守るべき技術として、フォトレジストの配合・精製工程を社内で特定済み。
- 退職者・OB を通じた技術流出が最大の懸念。競業避止契約の期間と範囲を見直し中。

## 2. チョークポイント技術
- フォトレジストは日本企業の世界シェアが高く、代替が難しいとの認識を共有。
- 海外の取引先から製造条件の開示を求められる事例があった。

## 3. 今後の対応
1. 退職時手続きのベストプラクティスを共有する（担当：経済産業省）。
2. 重点保護技術リストを更新する（担当：同社）。
"""

MINUTES_ROUNDTABLE = """\
# 半導体分野 産業対話（第2回）議事概要

- 日時：{held_on}　10:00〜12:00
- 出席：半導体材料メーカー各社、業界団体、経済産業省

## 議題1 コンプライアンスルールの収集・共有
- 各国の輸出管理規制の改正動向を業界団体が取りまとめ、会員企業に共有する。

## 議題2 チョークポイント技術の特定
- 高純度材料の原料について、特定国への依存度が高く**供給途絶**のリスクがある。
- 代替調達先の確保には 2〜3 年を要するとの指摘。

## 議題3 産業界のニーズ
- 事業継続のための在庫積み増しへの支援、設備投資への金融支援の要望があった。
"""

MINUTES_BATTERY = """\
# 蓄電池分野 企業ヒアリング 議事録

- 日時：{held_on}
- 出席：株式会社サンプル蓄電池、経済産業省 蓄電池担当

## 論点
- 負極材に用いる黒鉛の輸出管理強化により、調達コストと納期が悪化している。
- 全固体電池の研究開発人材について、海外企業からの引き抜きが増えている。

## 合意事項
- 黒鉛の調達状況を定期的に共有し、必要に応じて支援策を検討する。
"""


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


class Command(BaseCommand):
    help = (
        "Create demo accounts (secretariat, semicon_official, battery_official, company_a, "
        "company_b, admin) sharing one known password, and a small Japanese sample of sessions, "
        "threats, chokepoints, concerns, actions and the first plan revision. Idempotent. "
        "Requires `manage.py load_reference_data` first. Never use on production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Password of every demo account (default: {DEFAULT_PASSWORD}).",
        )

    def handle(self, *args, password: str, **options):
        self._require_reference_data()
        with transaction.atomic():
            self.created = 0
            self.sectors = {s.code: s for s in Sector.objects.filter(code__in=REQUIRED_SECTORS)}
            self.codes = {c.code: c for c in ThreatCategory.objects.filter(code__in=REQUIRED_CODES)}
            orgs = self._organizations()
            users = self._accounts(orgs, password)
            self._sample(orgs, users)
        self._report(users, password)

    # -- checks ------------------------------------------------------------
    def _require_reference_data(self) -> None:
        if not Sector.objects.exists() or not ThreatCategory.objects.exists():
            raise CommandError(
                "Reference data is missing (no sectors or threat codes). "
                "Run `manage.py load_reference_data` first."
            )
        missing = set(REQUIRED_SECTORS) - set(
            Sector.objects.filter(code__in=REQUIRED_SECTORS).values_list("code", flat=True)
        )
        missing |= set(REQUIRED_CODES) - set(
            ThreatCategory.objects.filter(code__in=REQUIRED_CODES).values_list("code", flat=True)
        )
        if missing:
            raise CommandError(
                f"Reference data lacks {', '.join(sorted(missing))}. "
                "Run `manage.py load_reference_data` first."
            )

    @staticmethod
    def _add(manager, *objects) -> None:
        """Add only the missing links: even an empty add() is recorded by the m2m history."""
        present = set(manager.values_list("pk", flat=True))
        missing = [obj for obj in objects if obj.pk not in present]
        if missing:
            manager.add(*missing)

    def _get_or_create(self, model, defaults=None, **lookup):
        instance, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        self.created += created
        return instance

    # -- accounts ----------------------------------------------------------
    def _organizations(self) -> dict[str, Organization]:
        orgs = {}
        for key, spec in ORGANIZATIONS.items():
            org = self._get_or_create(
                Organization,
                corporate_number=corporate_number(spec["base"]),
                defaults={
                    "name": spec["name"],
                    "name_en": spec["name_en"],
                    "kind": spec["kind"],
                    "size_class": spec["size_class"],
                },
            )
            self._add(org.sectors, *[self.sectors[code] for code in spec["sectors"]])
            orgs[key] = org
        return orgs

    def _accounts(self, orgs: dict[str, Organization], password: str) -> dict[str, User]:
        users = {}
        for spec in ACCOUNTS:
            fields = {
                "email": spec["email"],
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "role": spec["role"],
                "organization": orgs[spec["organization"]] if "organization" in spec else None,
                "is_org_admin": spec.get("is_org_admin", False),
            }
            user = User.objects.filter(username=spec["username"]).first()
            if user is None:
                if spec.get("superuser"):
                    user = User.objects.create_superuser(
                        spec["username"], password=password, **fields
                    )
                else:
                    user = User.objects.create_user(spec["username"], password=password, **fields)
                self.created += 1
            elif not user.check_password(password):
                # Keep the printed table true when --password changes between runs.
                user.set_password(password)
                user.save(update_fields=["password"])
            self._add(user.sectors, *[self.sectors[code] for code in spec.get("sectors", [])])
            for code in spec.get("leads", []):
                sector = self.sectors[code]
                if sector.lead_id != user.pk:
                    sector.lead = user
                    sector.save(update_fields=["lead"])
            users[spec["username"]] = user
        return users

    # -- sample data -------------------------------------------------------
    def _chokepoint(self, *, name: str, key_hint: str, name_hint: str, defaults: dict):
        """Reuse a reference chokepoint from the fixtures when one matches, else create ours."""
        existing = (
            ChokepointTechnology.objects.filter(
                Q(reference_key__icontains=key_hint) | Q(name__icontains=name_hint)
            )
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return existing
        return self._get_or_create(ChokepointTechnology, name=name, defaults=defaults)

    def _sample(self, orgs: dict[str, Organization], users: dict[str, User]) -> None:
        today = timezone.localdate()
        now = timezone.now()
        semi, batt = self.sectors["semiconductors"], self.sectors["batteries"]
        secretariat = users["secretariat"]
        semicon_official = users["semicon_official"]
        battery_official = users["battery_official"]
        company_a, company_b = users["company_a"], users["company_b"]
        org_a, org_b = orgs["semicon_materials"], orgs["battery_maker"]

        # Chokepoints -------------------------------------------------------
        photoresist = self._chokepoint(
            name="フォトレジスト",
            key_hint="photoresist",
            name_hint="レジスト",
            defaults={
                "description": "半導体の微細加工に用いる感光性材料。日本企業の世界シェアが高い。",
                "sector": semi,
                "stage": SupplyChainStage.UPSTREAM,
                "holders": "国内材料メーカー数社",
                "world_share_pct": Decimal("48.00"),
                "outflow_concern": ConcernLevel.HIGH,
                "marking": Marking.CLEAR,
                "created_by": secretariat,
            },
        )
        mask_blanks = self._get_or_create(
            ChokepointTechnology,
            name="EUV 露光用マスクブランクス",
            defaults={
                "description": "EUV 露光に用いるマスクの基板。欠陥密度の低減技術が競争力の源泉。",
                "sector": semi,
                "stage": SupplyChainStage.MIDSTREAM,
                "holders": "株式会社サンプル半導体材料ほか",
                "world_share_pct": Decimal("60.00"),
                "outflow_concern": ConcernLevel.HIGH,
                "like_minded_holders": "",
                "marking": Marking.AMBER,
                "created_by": semicon_official,
            },
        )
        self._add(mask_blanks.holder_organizations, org_a)
        electrolyte = self._get_or_create(
            ChokepointTechnology,
            name="全固体電池用固体電解質",
            defaults={
                "description": "硫化物系固体電解質の量産技術。特許出願件数で日本が先行。",
                "sector": batt,
                "stage": SupplyChainStage.MIDSTREAM,
                "holders": "国内電池・化学メーカー",
                "outflow_concern": ConcernLevel.MEDIUM,
                "like_minded_holders": "韓国、米国",
                "marking": Marking.GREEN,
                "created_by": battery_official,
            },
        )

        # Sessions ----------------------------------------------------------
        s_hearing = self._session(
            title="半導体材料企業ヒアリング（株式会社サンプル半導体材料）",
            held_on=today - timedelta(days=45),
            format=SessionFormat.COMPANY_HEARING,
            status=SessionStatus.MINUTES_APPROVED,
            marking=Marking.AMBER,
            minutes=MINUTES_HEARING,
            created_by=semicon_official,
            sectors=[semi],
            organizations=[org_a],
            chokepoints=[photoresist],
            participants=[
                ("半田 一郎", None, "経済産業省 半導体担当"),
                ("材料 恵子", org_a, "技術統括部 部長"),
                ("法務 誠", org_a, "法務部 課長"),
            ],
            agenda=[
                (AgendaTopic.TECHNOLOGY_MANAGEMENT, "退職者管理と重点保護技術の特定状況"),
                (AgendaTopic.CHOKEPOINTS, "フォトレジストの流出懸念"),
            ],
        )
        s_roundtable = self._session(
            title="半導体分野 産業対話（第2回）",
            held_on=today - timedelta(days=12),
            format=SessionFormat.INDUSTRY_ROUNDTABLE,
            status=SessionStatus.HELD,
            marking=Marking.GREEN,
            minutes=MINUTES_ROUNDTABLE,
            created_by=semicon_official,
            sectors=[semi],
            organizations=[org_a, orgs["fine_chemicals"], orgs["semicon_association"]],
            chokepoints=[photoresist, mask_blanks],
            participants=[
                ("半田 一郎", None, "経済産業省 半導体担当"),
                ("経済 花子", None, "経済産業省 事務局"),
                ("材料 恵子", org_a, "技術統括部 部長"),
                ("化学 実", orgs["fine_chemicals"], "代表取締役"),
                ("協会 典子", orgs["semicon_association"], "事務局長"),
            ],
            agenda=[
                (AgendaTopic.COMPLIANCE_RULES, "各国輸出管理規制の改正動向"),
                (AgendaTopic.CHOKEPOINTS, "高純度材料の原料依存"),
                (AgendaTopic.INDUSTRY_NEEDS, "在庫積み増し・設備投資への支援要望"),
            ],
        )
        s_battery = self._session(
            title="蓄電池分野 企業ヒアリング（株式会社サンプル蓄電池）",
            held_on=today - timedelta(days=30),
            format=SessionFormat.COMPANY_HEARING,
            status=SessionStatus.HELD,
            marking=Marking.AMBER_STRICT,
            minutes=MINUTES_BATTERY,
            created_by=battery_official,
            sectors=[batt],
            organizations=[org_b],
            chokepoints=[electrolyte],
            participants=[
                ("電池 次郎", None, "経済産業省 蓄電池担当"),
                ("蓄田 健太", org_b, "調達本部 課長"),
            ],
            agenda=[
                (AgendaTopic.INDUSTRY_NEEDS, "黒鉛調達の状況"),
                (AgendaTopic.TECHNOLOGY_MANAGEMENT, "研究開発人材の流出防止"),
            ],
        )
        self._session(
            title="同志国との半導体・蓄電池サプライチェーン対話",
            held_on=today + timedelta(days=21),
            format=SessionFormat.INTERNATIONAL,
            status=SessionStatus.PLANNED,
            marking=Marking.AMBER,
            minutes="",
            created_by=secretariat,
            sectors=[semi, batt],
            organizations=[],
            chokepoints=[photoresist, electrolyte],
            participants=[
                ("経済 花子", None, "経済産業省 事務局"),
                ("半田 一郎", None, "経済産業省 半導体担当"),
            ],
            agenda=[
                (AgendaTopic.LIKE_MINDED, "同じチョークポイント技術を持つ同志国との連携"),
                (AgendaTopic.COMPLIANCE_RULES, "輸出管理の運用に関する情報交換"),
            ],
        )

        # Threats -----------------------------------------------------------
        t_retirees = self._get_or_create(
            Threat,
            title="退職技術者を通じたフォトレジスト製造ノウハウの流出",
            defaults={
                "description": (
                    "精製工程に携わった退職者が海外競合企業に再就職し、配合条件が流出するおそれ。"
                    "競業避止契約の期間が短く、退職時の秘密保持誓約も形骸化している。"
                ),
                "sector": semi,
                "category": self.codes["1-2"],
                "likelihood": 4,
                "impact": 5,
                "status": ThreatStatus.MITIGATING,
                "source_session": s_hearing,
                "marking": Marking.AMBER,
                "created_by": semicon_official,
            },
        )
        self._add(t_retirees.chokepoints, photoresist)
        t_supply = self._get_or_create(
            Threat,
            title="高純度材料の原料の特定国依存による供給途絶",
            defaults={
                "description": (
                    "高純度化学品の原料の大半を特定国から調達しており、輸出規制や紛争で"
                    "供給が途絶すると国内の半導体製造が停止するおそれがある。"
                ),
                "sector": semi,
                "category": self.codes["2-1"],
                "likelihood": 3,
                "impact": 5,
                "status": ThreatStatus.MONITORING,
                "source_session": s_roundtable,
                "marking": Marking.AMBER,
                "created_by": semicon_official,
            },
        )
        self._add(t_supply.chokepoints, photoresist, mask_blanks)
        t_graphite = self._get_or_create(
            Threat,
            title="黒鉛の輸出管理強化による負極材の調達難",
            defaults={
                "description": "黒鉛に対する輸出管理の導入で、負極材の調達コストと納期が悪化している。",
                "sector": batt,
                "category": self.codes["2-2"],
                "likelihood": 4,
                "impact": 4,
                "status": ThreatStatus.IDENTIFIED,
                "source_session": s_battery,
                "marking": Marking.GREEN,
                "created_by": battery_official,
            },
        )
        t_red = self._get_or_create(
            Threat,
            title="現役技術者への海外企業からの不審な接触",
            defaults={
                "description": "特定部署の技術者に対し、高額報酬を提示する接触が相次いでいる（詳細は担当者限り）。",
                "sector": semi,
                "category": self.codes["1-1"],
                "likelihood": 3,
                "impact": 5,
                "status": ThreatStatus.MONITORING,
                "marking": Marking.RED,
                "created_by": semicon_official,
            },
        )
        self._add(t_red.named_users, secretariat, semicon_official)

        # Concerns ----------------------------------------------------------
        c_export = self._get_or_create(
            Concern,
            organization=org_a,
            title="新たな輸出管理規制による海外顧客向け出荷への影響",
            defaults={
                "submitted_by": company_a,
                "sector": semi,
                "category": self.codes["2-2"],
                "description": (
                    "先月公表された海外の輸出管理規制の改正で、当社材料を組み込んだ製品の"
                    "再輸出に許可が必要となる可能性があります。対象範囲の解釈について"
                    "情報提供をお願いします。"
                ),
                "desired_support": DesiredSupport.INFORMATION,
                "status": ConcernStatus.IN_PROGRESS,
                "marking": Marking.AMBER_STRICT,
                "assigned_to": semicon_official,
            },
        )
        self._message(c_export, company_a, "規制の原文と当社製品の該非判定の資料を添付予定です。")
        self._message(
            c_export,
            semicon_official,
            "ご相談ありがとうございます。規制当局の公表資料を確認のうえ、来週中に回答します。",
        )
        self._message(
            c_export,
            semicon_official,
            "同様の照会が他社からも来ている。業界向け説明資料の作成を検討（社内メモ）。",
            internal=True,
        )
        c_retiree = self._get_or_create(
            Concern,
            organization=org_b,
            title="退職予定の技術者への海外企業からの転職打診",
            defaults={
                "submitted_by": company_b,
                "sector": batt,
                "category": self.codes["1-2"],
                "description": (
                    "全固体電池の開発に携わる技術者が、海外企業から好条件での転職打診を"
                    "受けています。退職時の技術管理について支援策を相談したいです。"
                ),
                "desired_support": DesiredSupport.SUPPORT_MEASURES,
                "status": ConcernStatus.SUBMITTED,
                "marking": Marking.AMBER_STRICT,
            },
        )
        self._message(
            c_retiree, company_b, "競業避止契約の雛形があれば参考にしたいと考えています。"
        )

        # Follow-up actions -------------------------------------------------
        action_specs = [
            {
                "title": "退職時手続きのベストプラクティスを半導体材料企業へ共有する",
                "sector": semi,
                "owner": semicon_official,
                "due_on": today + timedelta(days=7),
                "pillar": PolicyPillar.PROTECTION,
                "priority": Priority.HIGH,
                "session": s_hearing,
                "threat": t_retirees,
                "marking": Marking.AMBER,
            },
            {
                "title": "原料の代替調達先に関する需要調査を実施する",
                "sector": semi,
                "owner": semicon_official,
                "due_on": today + timedelta(days=1),
                "status": ActionStatus.IN_PROGRESS,
                "pillar": PolicyPillar.PROMOTION,
                "session": s_roundtable,
                "threat": t_supply,
                "marking": Marking.GREEN,
            },
            {
                "title": "輸出管理規制の改正に関する企業向け説明資料を作成する",
                "sector": semi,
                "owner": semicon_official,
                "due_on": today - timedelta(days=3),
                "pillar": PolicyPillar.PARTNERSHIP,
                "concern": c_export,
                "marking": Marking.AMBER,
            },
            {
                "title": "蓄電池メーカーの黒鉛調達状況を把握する",
                "sector": batt,
                "owner": battery_official,
                "due_on": today - timedelta(days=20),
                "pillar": PolicyPillar.PROMOTION,
                "priority": Priority.HIGH,
                "session": s_battery,
                "threat": t_graphite,
                "marking": Marking.AMBER_STRICT,
            },
            {
                "title": "業界団体向けにベストプラクティス集を周知する",
                "sector": semi,
                "owner": secretariat,
                "due_on": today - timedelta(days=10),
                "status": ActionStatus.DONE,
                "pillar": PolicyPillar.PROTECTION,
                "completion_note": "業界団体の会員向け説明会（約40社参加）で周知し、資料を配布した。",
                "completed_at": now - timedelta(days=12),
                "marking": Marking.CLEAR,
            },
            {
                "title": "同志国との対話に向けた論点整理を行う",
                "sector": batt,
                "owner": secretariat,
                "due_on": today - timedelta(days=2),
                "status": ActionStatus.DONE,
                "pillar": PolicyPillar.PARTNERSHIP,
                "completion_note": "論点メモを作成し、関係課と共有済み。",
                "completed_at": now - timedelta(days=1),
                "marking": Marking.AMBER,
            },
            {
                "title": "社内の重点保護技術リストを更新する",
                "sector": semi,
                "owner": company_a,
                "owner_organization": org_a,
                "due_on": today + timedelta(days=7),
                "pillar": PolicyPillar.PROTECTION,
                "session": s_hearing,
                "threat": t_retirees,
                "marking": Marking.AMBER_STRICT,
            },
        ]
        for spec in action_specs:
            title = spec.pop("title")
            owner = spec["owner"]
            spec.setdefault("created_by", semicon_official if owner.is_company_user else owner)
            self._get_or_create(FollowUpAction, title=title, defaults=spec)

        # Plan revision -----------------------------------------------------
        self._get_or_create(
            PlanRevision,
            number=1,
            defaults={
                "label": "初版",
                "status": PlanRevisionStatus.PUBLISHED,
                "published_at": now - timedelta(days=60),
                "notes": "経済安全保障に関する産業・技術基盤強化のためのアクションプラン（初版）。",
                "created_by": secretariat,
            },
        )

    def _session(
        self, *, title, sectors, organizations, chokepoints, participants, agenda, minutes, **fields
    ) -> DialogueSession:
        held_on = fields["held_on"]
        session = self._get_or_create(
            DialogueSession,
            title=title,
            defaults={**fields, "minutes": minutes.format(held_on=held_on.isoformat())},
        )
        self._add(session.sectors, *sectors)
        self._add(session.participating_organizations, *organizations)
        self._add(session.chokepoints, *chokepoints)
        for name, org, affiliation in participants:
            self._get_or_create(
                Participant,
                session=session,
                name=name,
                defaults={"organization": org, "affiliation": affiliation},
            )
        for position, (topic, note) in enumerate(agenda):
            self._get_or_create(
                AgendaItem,
                session=session,
                topic=topic,
                defaults={"note": note, "position": position},
            )
        return session

    def _message(self, concern, author, body, *, internal: bool = False) -> ConcernMessage:
        return self._get_or_create(
            ConcernMessage,
            concern=concern,
            author=author,
            body=body,
            defaults={"is_internal": internal},
        )

    # -- output ------------------------------------------------------------
    def _report(self, users: dict[str, User], password: str) -> None:
        rows = [("username", "role", "organization / sectors", "password")]
        for spec in ACCOUNTS:
            user = users[spec["username"]]
            if user.organization_id:
                where = user.organization.name + (" (org admin)" if user.is_org_admin else "")
            elif spec.get("sectors"):
                where = ", ".join(spec["sectors"])
                if spec.get("leads"):
                    where += " (lead)"
            else:
                where = "all sectors"
            rows.append((user.username, user.role, where, password))
        widths = [max(display_width(row[i]) for row in rows) for i in range(4)]
        lines = [
            "  ".join(pad(cell, w) for cell, w in zip(row, widths, strict=True)) for row in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))

        self.stdout.write(f"Demo data ready ({self.created} rows created).")
        self.stdout.write("")
        for line in lines:
            self.stdout.write(line.rstrip())
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                "WARNING: these are demo accounts with a shared, published password. "
                "Never run seed_demo on a production database."
            )
        )
