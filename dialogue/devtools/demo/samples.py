"""The demo sample: chokepoints, sessions, threats, concerns, actions and the plan revision."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from dialogue.devtools.demo.seed_run import SeedRun, add_missing
from dialogue.devtools.demo.texts import MINUTES_BATTERY, MINUTES_HEARING, MINUTES_ROUNDTABLE
from dialogue.enums import (
    ActionStatus,
    AgendaTopic,
    ChokepointProcessStage,
    ChokepointSurvey,
    ConcernLevel,
    ConcernStatus,
    DesiredSupport,
    FigurePrecision,
    Marking,
    PlanRevisionStatus,
    PolicyPillar,
    Priority,
    SessionFormat,
    SessionStatus,
    ShareBasis,
    SupplyChainStage,
    ThreatStatus,
)
from dialogue.models import (
    AgendaItem,
    ChokepointTechnology,
    Concern,
    ConcernMessage,
    Dependency,
    DialogueSession,
    FollowUpAction,
    Forum,
    Organization,
    Participant,
    PlanRevision,
    ReplyTemplate,
    Threat,
    User,
)
from dialogue.services.concerns import concern_reference_next


def reuse_or_create_chokepoint(
    run: SeedRun, *, name: str, key_hint: str, name_hint: str, defaults: dict
):
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
    return run.get_or_create(ChokepointTechnology, name=name, defaults=defaults)


def place_in_process(chokepoint: ChokepointTechnology, **values) -> None:
    """Set where a chokepoint stands in the plan's process, once: a demo database whose
    officials have since moved it on keeps their values."""
    if chokepoint.survey:
        return
    for name, value in values.items():
        setattr(chokepoint, name, value)
    chokepoint.save(update_fields=list(values))


def create_sample(run: SeedRun, orgs: dict[str, Organization], users: dict[str, User]) -> None:
    """Create the missing sample rows, dated relative to today."""
    today = timezone.localdate()
    now = timezone.now()
    semi, batt = run.sectors["semiconductors"], run.sectors["batteries"]
    secretariat = users["secretariat"]
    semicon_official = users["semicon_official"]
    battery_official = users["battery_official"]
    company_a, company_b = users["company_a"], users["company_b"]
    org_a, org_b = orgs["semicon_materials"], orgs["battery_maker"]

    # Chokepoints -------------------------------------------------------
    photoresist = reuse_or_create_chokepoint(
        run,
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
    mask_blanks = run.get_or_create(
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
    add_missing(mask_blanks.holder_organizations, org_a)
    electrolyte = run.get_or_create(
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

    # Chokepoints are Japan's advantages (our share of the world market), each at its
    # stage of the plan's process; dependencies (our exposure) are recorded apart.
    place_in_process(
        photoresist,
        process_stage=ChokepointProcessStage.MAINTENANCE,
        survey=ChokepointSurvey.COMPANY_SURVEY,
        support_measures="素材メーカー間の対話の場（業界内対話）、GX・経済安保関連の設備投資支援",
        review_on=today + timedelta(days=10),
    )
    place_in_process(
        mask_blanks,
        process_stage=ChokepointProcessStage.EXTRACTION,
        survey=ChokepointSurvey.FOREIGN_INTEREST,
        review_on=today + timedelta(days=40),
    )
    place_in_process(
        electrolyte,
        process_stage=ChokepointProcessStage.POLICY_RESPONSE,
        survey=ChokepointSurvey.COMPANY_SURVEY,
        support_measures="技術流出防止に向けた契約・管理の整備（制度的な対応の検討）",
        review_on=today + timedelta(days=90),
    )

    # International forums: the semiconductors official works on the Economic "2+2".
    two_plus_two = Forum.objects.get(code="japan-us-economic-2plus2")
    add_missing(two_plus_two.officials, semicon_official)
    jucip = Forum.objects.get(code="japan-us-commercial-industrial-partnership")

    # Sessions ----------------------------------------------------------
    s_hearing = create_session(
        run,
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
    s_roundtable = create_session(
        run,
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
            (AgendaTopic.CHOKEPOINTS, "高純度材料の優位性の維持と流出懸念"),
            (AgendaTopic.INDUSTRY_NEEDS, "在庫積み増し・設備投資への支援要望"),
        ],
    )
    s_battery = create_session(
        run,
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
    create_session(
        run,
        title="同志国との半導体・蓄電池サプライチェーン対話",
        held_on=today + timedelta(days=21),
        format=SessionFormat.INTERNATIONAL,
        forum=jucip,
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
    t_retirees = run.get_or_create(
        Threat,
        title="退職技術者を通じたフォトレジスト製造ノウハウの流出",
        defaults={
            "description": (
                "精製工程に携わった退職者が海外競合企業に再就職し、配合条件が流出するおそれ。"
                "競業避止契約の期間が短く、退職時の秘密保持誓約も形骸化している。"
            ),
            "sector": semi,
            "category": run.codes["1-2"],
            "likelihood": 4,
            "impact": 5,
            "status": ThreatStatus.MITIGATING,
            "source_session": s_hearing,
            "marking": Marking.AMBER,
            "created_by": semicon_official,
        },
    )
    add_missing(t_retirees.chokepoints, photoresist)
    t_supply = run.get_or_create(
        Threat,
        title="高純度材料の原料の特定国依存による供給途絶",
        defaults={
            "description": (
                "高純度化学品の原料の大半を特定国から調達しており、輸出規制や紛争で"
                "供給が途絶すると国内の半導体製造が停止するおそれがある。"
            ),
            "sector": semi,
            "category": run.codes["2-1"],
            "likelihood": 3,
            "impact": 5,
            "status": ThreatStatus.MONITORING,
            "source_session": s_roundtable,
            "marking": Marking.AMBER,
            "created_by": semicon_official,
        },
    )
    add_missing(t_supply.chokepoints, photoresist, mask_blanks)

    # Dependencies: the import dependency behind the supply threat is a dependency (our
    # exposure), not a chokepoint (our advantage). Five years of an illustrative series.
    for year, china in zip(range(today.year - 5, today.year), (41, 46, 52, 58, 63), strict=True):
        for country, share in (("CN", china), ("KR", 90 - china), ("US", 10)):
            figure = run.get_or_create(
                Dependency,
                sector=semi,
                product="高純度フッ化物（半導体用）",
                hs_code="281111",
                country=country,
                year=year,
                basis=ShareBasis.JAPAN_IMPORTS,
                defaults={
                    "stage": SupplyChainStage.UPSTREAM,
                    "share_pct": Decimal(share),
                    "source": "貿易統計（デモ用の例示値）",
                    "precision": FigurePrecision.STATISTICS,
                    "marking": Marking.AMBER,
                    "created_by": semicon_official,
                },
            )
            if country == "CN":
                add_missing(figure.threats, t_supply)
                add_missing(figure.chokepoints, photoresist)
    # The next Economic "2+2" working-level meeting: a session under the forum with no
    # sector, whose agenda raises the supply threat and the photoresist advantage.
    s_two_plus_two = create_session(
        run,
        title="日米経済版「２＋２」実務者会合（準備）",
        held_on=today + timedelta(days=35),
        format=SessionFormat.INTERNATIONAL,
        forum=two_plus_two,
        status=SessionStatus.PLANNED,
        marking=Marking.AMBER,
        minutes="",
        created_by=semicon_official,
        sectors=[],
        organizations=[],
        chokepoints=[photoresist],
        participants=[("半田 一郎", None, "経済産業省 半導体担当")],
        agenda=[
            (AgendaTopic.LIKE_MINDED, "高純度材料の供給途絶リスクと同志国での対応"),
            (AgendaTopic.CHOKEPOINTS, "フォトレジストの優位性の維持と流出防止"),
        ],
    )
    AgendaItem.objects.filter(
        session=s_two_plus_two, topic=AgendaTopic.LIKE_MINDED, threat__isnull=True
    ).update(threat=t_supply)
    AgendaItem.objects.filter(
        session=s_two_plus_two, topic=AgendaTopic.CHOKEPOINTS, chokepoint__isnull=True
    ).update(chokepoint=photoresist)
    t_graphite = run.get_or_create(
        Threat,
        title="黒鉛の輸出管理強化による負極材の調達難",
        defaults={
            "description": "黒鉛に対する輸出管理の導入で、負極材の調達コストと納期が悪化している。",
            "sector": batt,
            "category": run.codes["2-2"],
            "likelihood": 4,
            "impact": 4,
            "status": ThreatStatus.IDENTIFIED,
            "source_session": s_battery,
            "marking": Marking.GREEN,
            "created_by": battery_official,
        },
    )
    t_red = run.get_or_create(
        Threat,
        title="現役技術者への海外企業からの不審な接触",
        defaults={
            "description": "特定部署の技術者に対し、高額報酬を提示する接触が相次いでいる（詳細は担当者限り）。",
            "sector": semi,
            "category": run.codes["1-1"],
            "likelihood": 3,
            "impact": 5,
            "status": ThreatStatus.MONITORING,
            "marking": Marking.RED,
            "created_by": semicon_official,
        },
    )
    add_missing(t_red.named_users, secretariat, semicon_official)

    # Concerns ----------------------------------------------------------
    c_export = run.get_or_create(
        Concern,
        organization=org_a,
        title="新たな輸出管理規制による海外顧客向け出荷への影響",
        defaults={
            "reference": lambda: concern_reference_next(organization_id=org_a.pk),
            "submitted_by": company_a,
            "sector": semi,
            "category": run.codes["2-2"],
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
    create_message(run, c_export, company_a, "規制の原文と当社製品の該非判定の資料を添付予定です。")
    create_message(
        run,
        c_export,
        semicon_official,
        "ご相談ありがとうございます。規制当局の公表資料を確認のうえ、来週中に回答します。",
    )
    create_message(
        run,
        c_export,
        semicon_official,
        "同様の照会が他社からも来ている。業界向け説明資料の作成を検討（社内メモ）。",
        internal=True,
    )
    c_retiree = run.get_or_create(
        Concern,
        organization=org_b,
        title="退職予定の技術者への海外企業からの転職打診",
        defaults={
            "reference": lambda: concern_reference_next(organization_id=org_b.pk),
            "submitted_by": company_b,
            "sector": batt,
            "category": run.codes["1-2"],
            "description": (
                "全固体電池の開発に携わる技術者が、海外企業から好条件での転職打診を"
                "受けています。退職時の技術管理について支援策を相談したいです。"
            ),
            "desired_support": DesiredSupport.SUPPORT_MEASURES,
            "status": ConcernStatus.SUBMITTED,
            "marking": Marking.AMBER_STRICT,
        },
    )
    create_message(
        run, c_retiree, company_b, "競業避止契約の雛形があれば参考にしたいと考えています。"
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
        run.get_or_create(FollowUpAction, title=title, defaults=spec)

    # Reply templates ---------------------------------------------------
    run.get_or_create(
        ReplyTemplate,
        title="受付のお知らせ",
        sector=None,
        defaults={
            "body": "ご相談ありがとうございます。担当者が内容を確認し、"
            "三営業日以内にご連絡いたします。",
        },
    )
    run.get_or_create(
        ReplyTemplate,
        title="輸出管理に関する照会への一次回答",
        sector=semi,
        defaults={
            "body": "ご相談ありがとうございます。該当する規制の内容と対象品目を確認のうえ、"
            "関係部署と連携してご回答いたします。追加の資料があればこのスレッドに添付してください。",
        },
    )

    # Plan revision -----------------------------------------------------
    run.get_or_create(
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


def create_session(
    run: SeedRun,
    *,
    title,
    sectors,
    organizations,
    chokepoints,
    participants,
    agenda,
    minutes,
    **fields,
) -> DialogueSession:
    held_on = fields["held_on"]
    session = run.get_or_create(
        DialogueSession,
        title=title,
        defaults={**fields, "minutes": minutes.format(held_on=held_on.isoformat())},
    )
    add_missing(session.sectors, *sectors)
    add_missing(session.participating_organizations, *organizations)
    add_missing(session.chokepoints, *chokepoints)
    for name, org, affiliation in participants:
        run.get_or_create(
            Participant,
            session=session,
            name=name,
            defaults={"organization": org, "affiliation": affiliation},
        )
    for position, (topic, note) in enumerate(agenda):
        run.get_or_create(
            AgendaItem,
            session=session,
            topic=topic,
            defaults={"note": note, "position": position},
        )
    return session


def create_message(
    run: SeedRun, concern, author, body, *, internal: bool = False
) -> ConcernMessage:
    return run.get_or_create(
        ConcernMessage,
        concern=concern,
        author=author,
        body=body,
        defaults={"is_internal": internal},
    )
