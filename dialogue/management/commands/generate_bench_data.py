"""`manage.py generate_bench_data --scale N [--seed S]`: bulk data for benchmarks.

Scale 1 means 20 sectors (the reference sectors plus `bench-sector-NN` rows),
5,000 organizations, 20,000 dialogue sessions, 120,000 threats, 80,000
concerns, 2,000 chokepoints and 100,000 follow-up actions, with the users,
participants, agenda items, concern messages and many-to-many links they need.
Sectors do not scale; everything else is proportional (at least one row each),
so `--scale 0.01` suits tests.

Every table is written with `bulk_create` in batches, so no `save()` runs and
django-simple-history records nothing. The same `--seed` on the same database
state gives the same data. Running it again *appends* another batch: sectors
and sector officials are reused, organizations get new corporate numbers from
a counter (bench organizations are marked by `name_en` "Bench Org NNNNNNN").
Requires `manage.py load_reference_data` first.
"""

from __future__ import annotations

import bisect
import itertools
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.utils import timezone

from dialogue.enums import (
    ActionStatus,
    AgendaTopic,
    ConcernLevel,
    ConcernStatus,
    DesiredSupport,
    Marking,
    OrganizationKind,
    PolicyPillar,
    Priority,
    Role,
    SectorKind,
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
    Sector,
    Threat,
    ThreatCategory,
    User,
)
from dialogue.validators import corporate_number_check_digit

SCALE_1 = {
    "organizations": 5_000,
    "sessions": 20_000,
    "threats": 120_000,
    "concerns": 80_000,
    "chokepoints": 2_000,
    "actions": 100_000,
}
TARGET_SECTORS = 20
ORGS_WITH_USERS_SHARE = 0.2  # ~1,000 of 5,000 organizations have portal users
USERS_PER_ORG = 2
HISTORY_DAYS = 3 * 365
BENCH_SECTOR_PREFIX = "bench-sector-"
BENCH_ORG_PREFIX = "Bench Org "
BENCH_OFFICIAL_PREFIX = "bench-official-"
BENCH_SECRETARIAT = "bench-secretariat"
# Bench corporate numbers are "99" + a 10-digit counter, outside other generators' ranges.
CORPORATE_BASE_PREFIX = "99"
# Threat codes that come up most in the dialogues go first in the skewed draw.
FREQUENT_CODES = ["1-2", "2-1", "2-2", "1-1", "1-3", "3-3", "2-3", "3-4"]


# --- text pool ---------------------------------------------------------------

# Vocabulary, written as space-separated words to keep the lists compact.


def _words(text: str) -> list[str]:
    return text.split()


SUBJECTS = _words(
    "半導体材料 フォトレジスト 半導体製造装置 シリコンウエハ パワー半導体 蓄電池 正極材 負極材"
    " 固体電解質 セパレータ 永久磁石 レアアース 工作機械 産業用ロボット 精密減速機 航空機部品"
    " 炭素繊維 重要鉱物 天然ガス 抗菌性物質製剤 肥料原料 船舶部品 クラウド基盤 高純度ガス"
    " ペロブスカイト太陽電池 ヨウ素 原薬 量子コンピュータ部材"
)
RISKS = _words(
    "技術流出 供給途絶 輸出管理 退職者による情報持ち出し 経済的威圧 サイバー攻撃 人材流出"
    " 過剰依存 投資審査 共同研究における技術開示 合弁事業を通じた技術移転"
    " 取引先からの技術開示要求 現地調達規制 契約条件の不備 紛争による物流混乱"
    " 過剰供給による価格下落"
)
ACTORS = _words("退職者・OB 現役従業員 海外取引先 合弁相手 共同研究先 海外子会社 買収提案者")
COUNTRIES = _words("A国 B国 C国 特定国 周辺国")
MEASURES = _words("輸出管理 投資審査 データ移転規制 現地生産要求 補助金政策 重要鉱物の輸出規制")
KNOWHOW = _words("製造ノウハウ 配合条件 精製技術 設計データ 評価手法 量産プロセス 検査装置の仕様")
TECHS = _words("精製 成膜 微細加工 焼結 合成 精密加工 評価・検査 量産 表面処理")
TITLE_TEMPLATES = [
    "{subject}における{risk}の懸念",
    "{risk}による{subject}の調達リスク",
    "{actor}を通じた{subject}関連技術の{risk}",
    "{country}の{measure}強化に伴う{subject}への影響",
    "{subject}の{knowhow}の流出防止策",
    "{subject}サプライチェーンの{risk}への対応",
    "{country}による{subject}の{measure}と国内企業への影響",
]
TITLE_SUFFIXES = [
    "について",
    "に関する相談",
    "（続報）",
    "の実態把握",
    "と今後の対応",
    "に係る情報共有",
]
SENTENCES = [
    "{subject}の製造工程に関する{knowhow}が、{actor}を通じて流出するおそれがある。",
    "{country}による{measure}の強化で、{subject}の調達コストと納期が悪化している。",
    "代替調達先の確保には{n}年程度を要し、現在の在庫は約{m}か月分にとどまる。",
    "社内では重点的に守るべき技術を特定し、アクセス権限の見直しを進めている。",
    "退職者との秘密保持契約・競業避止契約の期間と範囲について見直しが必要である。",
    "同志国の企業も同等の技術を保有しており、連携した対応を検討したい。",
    "事業継続のための設備投資や金融支援について、政府の支援策を確認したい。",
    "{actor}から{knowhow}の開示を求められる事例が増えている。",
    "サプライチェーン上流の{subject}について、特定国への依存度が{pct}%に達している。",
    "サイバー攻撃により設計データが窃取される事案が業界内で報告されている。",
    "経済的威圧の手段として{subject}の輸出が制限される可能性を否定できない。",
    "共同研究の成果の帰属や第三者への開示範囲が契約上明確になっていない。",
    "{risk}への備えとして、業界団体を通じたベストプラクティスの共有を求める声がある。",
    "海外の規制当局から{subject}の取引先情報の提出を求められる可能性がある。",
    "若手技術者の採用難と熟練者の高齢化により、{subject}の技能継承が課題となっている。",
]
SURNAMES = _words(
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林"
    " 清水 斎藤"
)
GIVEN_NAMES = _words("太郎 花子 健一 直子 誠 由美 大輔 真理 翔太 恵 浩二 美穂 拓也 彩 修 久美子")
OFFICIAL_AFFILIATIONS = [
    f"経済産業省 {unit}"
    for unit in _words(
        "経済安全保障室 製造産業局 商務情報政策局 資源エネルギー庁 貿易経済安全保障局"
    )
]
COMPANY_AFFILIATIONS = _words("経営企画部 技術本部 法務部 調達部 知的財産部 輸出管理室")
ORG_CORES = _words("東都 北辰 瑞穂 大和 光洋 新栄 中央 日邦 昭和 富士見 三和 東洋 旭陽 明星 青葉")
ORG_TRADES = _words(
    "精密化学 マテリアル 電子材料 エナジー テクノロジー 工業 マシナリー ケミカル メタル"
)
AGENDA_JA = [
    "コンプライアンスルールの収集・共有",
    "技術管理に関するアウトリーチとベストプラクティス",
    "流出リスクのあるチョークポイント技術の特定",
    "同じチョークポイント技術を持つ同志国との連携",
    "事業継続・金融等の産業界のニーズ",
]
LIKE_MINDED = ["", "", "米国", "米国、欧州", "韓国", "台湾、韓国", "ドイツ、オランダ", "英国"]


class TextPool:
    """A few thousand pre-built Japanese texts, picked at random instead of built per row."""

    def __init__(self, rng: random.Random, size: int = 3000):
        self.rng = rng
        self.titles = [self._title() for _ in range(size)]
        self.descriptions = [self._text(200, 800) for _ in range(size)]
        self.messages = [self._text(60, 300) for _ in range(size // 3)]
        self.notes = [self._text(20, 120) for _ in range(size // 10)]
        self.minutes = [self._minutes() for _ in range(size // 6)]
        self.chokepoint_names = [
            f"{rng.choice(SUBJECTS)}の{rng.choice(TECHS)}技術" for _ in range(size // 6)
        ]
        self.person_names = [f"{s} {g}" for s in SURNAMES for g in GIVEN_NAMES]

    def _fill(self, template: str) -> str:
        r = self.rng
        return template.format(
            subject=r.choice(SUBJECTS),
            risk=r.choice(RISKS),
            actor=r.choice(ACTORS),
            country=r.choice(COUNTRIES),
            measure=r.choice(MEASURES),
            knowhow=r.choice(KNOWHOW),
            n=r.randint(2, 5),
            m=r.randint(1, 9),
            pct=r.randint(40, 95),
        )

    def _title(self) -> str:
        title = self._fill(self.rng.choice(TITLE_TEMPLATES))
        while len(title) < 20:
            title += self.rng.choice(TITLE_SUFFIXES)
        return title[:60]

    def _text(self, low: int, high: int) -> str:
        """Whole sentences up to a random target length in [low, high]."""
        target = self.rng.randint(low, high)
        text = ""
        while len(text) < target:
            sentence = self._fill(self.rng.choice(SENTENCES))
            if len(text) >= low and len(text) + len(sentence) > target:
                break
            text += sentence
        return text[:high]

    def _minutes(self) -> str:
        topics = self.rng.sample(AGENDA_JA, k=self.rng.randint(2, 4))
        parts = ["# 議事概要", ""]
        for number, topic in enumerate(topics, start=1):
            parts += [f"## 議題{number} {topic}", ""]
            parts += [
                f"- {self._fill(self.rng.choice(SENTENCES))}" for _ in range(self.rng.randint(2, 5))
            ]
            parts.append("")
        parts += ["## 今後の対応", "", f"1. {self._fill(self.rng.choice(SENTENCES))}"]
        return "\n".join(parts)


class Skewed:
    """A Zipf-like draw over `items`: the first items are the most frequent."""

    def __init__(self, rng: random.Random, items: list, exponent: float = 1.0):
        self.rng = rng
        self.items = items
        self.cum_weights = list(
            itertools.accumulate(1 / (rank**exponent) for rank in range(1, len(items) + 1))
        )

    def __call__(self):
        x = self.rng.random() * self.cum_weights[-1]
        return self.items[bisect.bisect_right(self.cum_weights, x)]


def weighted(rng: random.Random, table: dict):
    return rng.choices(list(table), weights=list(table.values()))[0]


@contextmanager
def explicit_timestamps(*models):
    """Let bulk_create write the given created_at/updated_at instead of "now".

    auto_now/auto_now_add overwrite any value in pre_save; benchmarks need rows
    spread over three years. The flags are restored afterwards.
    """
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def chunked(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


class Command(BaseCommand):
    help = (
        "Generate benchmark data with bulk inserts (scale 1 = 20 sectors, 5,000 organizations, "
        "20,000 sessions, 120,000 threats, 80,000 concerns, 2,000 chokepoints, 100,000 actions). "
        "Appends on every run. Requires `manage.py load_reference_data` first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 = the full size; 0.01 for tests."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument("--batch-size", type=int, default=5000, help="Rows per bulk insert.")

    def handle(self, *args, scale: float, seed: int, batch_size: int, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if not Sector.objects.exists() or not ThreatCategory.objects.exists():
            raise CommandError(
                "Reference data is missing (no sectors or threat codes). "
                "Run `manage.py load_reference_data` first."
            )
        self.verbosity = options.get("verbosity", 1)
        self.batch_size = batch_size
        self.rng = random.Random(seed)
        self.counts = {name: max(1, round(n * scale)) for name, n in SCALE_1.items()}
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.total_rows = 0
        # One unusable password for every bench user: they cannot log in, and no hashing per row.
        self.password = make_password(None)

        started = time.perf_counter()
        self._say(f"generate_bench_data: scale {scale:g}, seed {seed}")
        self.text = TextPool(self.rng)
        with (
            transaction.atomic(),
            explicit_timestamps(
                Organization,
                DialogueSession,
                Threat,
                ChokepointTechnology,
                Concern,
                ConcernMessage,
                FollowUpAction,
            ),
        ):
            self._sectors()
            self._organizations()
            self._users()
            self._chokepoints()
            self._sessions()
            self._concerns()
            self._threats()
            self._actions()
        elapsed = time.perf_counter() - started
        self._say(
            f"{'total':<36}{self.total_rows:>10,} rows {elapsed:>9.2f} s", style=self.style.SUCCESS
        )

    # -- plumbing ------------------------------------------------------------
    def _say(self, message: str, style=None) -> None:
        if self.verbosity:
            self.stdout.write(style(message) if style else message)
            self.stdout.flush()

    def _insert(self, label: str, model, objects: Iterable) -> list[int]:
        """bulk_create in batches; report rows and seconds (generation included); return pks."""
        started = time.perf_counter()
        pks: list[int] = []
        for chunk in chunked(objects, self.batch_size):
            created = model.objects.bulk_create(chunk, batch_size=self.batch_size)
            if created[0].pk is None:
                raise CommandError("This database cannot return ids from bulk inserts.")
            pks.extend(obj.pk for obj in created)
            self._forget_queries()
        self.total_rows += len(pks)
        self._say(f"{label:<36}{len(pks):>10,} rows {time.perf_counter() - started:>9.2f} s")
        return pks

    @staticmethod
    def _forget_queries() -> None:
        """Under DEBUG, Django keeps every SQL string, and each batch is megabytes of text.

        Not while a test captures queries (force_debug_cursor): it counts the log.
        """
        if settings.DEBUG and not connection.force_debug_cursor:
            reset_queries()

    def _link(self, label: str, model, field_name: str, pairs: Iterable[tuple[int, int]]) -> None:
        """Fill a many-to-many through table directly."""
        field = model._meta.get_field(field_name)
        through = field.remote_field.through
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        self._insert(label, through, (through(**{source: a, target: b}) for a, b in pairs))

    def _moment(self, day: date) -> datetime:
        """An aware datetime on `day` during office hours, never in the future."""
        moment = datetime.combine(day, datetime.min.time(), tzinfo=self.tz) + timedelta(
            minutes=self.rng.randint(8 * 60, 20 * 60)
        )
        return min(moment, self.now)

    def _past_day(self, max_days: int = HISTORY_DAYS) -> date:
        return self.today - timedelta(days=self.rng.randint(0, max_days))

    def _marking(self, table: dict | None = None) -> str:
        return weighted(
            self.rng,
            table
            or {
                Marking.AMBER: 40,
                Marking.AMBER_STRICT: 22,
                Marking.GREEN: 25,
                Marking.CLEAR: 11,
                Marking.RED: 2,
            },
        )

    def _named(self, item_ids: list[int], markings: list[str], people) -> list[tuple[int, int]]:
        """RED items name one or two people: `people(i)` gives candidates for item i."""
        pairs = []
        for i, (pk, marking) in enumerate(zip(item_ids, markings, strict=True)):
            if marking == Marking.RED:
                candidates = list(dict.fromkeys(people(i)))
                pairs += [
                    (pk, user) for user in self.rng.sample(candidates, min(2, len(candidates)))
                ]
        return pairs

    # -- sectors and organizations ---------------------------------------------
    def _sectors(self) -> None:
        started = time.perf_counter()
        sectors = list(Sector.objects.filter(kind=SectorKind.SECTOR).order_by("sort_order", "code"))
        domains = list(Sector.objects.filter(kind=SectorKind.DOMAIN).order_by("sort_order", "code"))
        existing = {s.code for s in sectors}
        new = []
        for number in range(len(sectors) + 1, TARGET_SECTORS + 1):
            code = f"{BENCH_SECTOR_PREFIX}{number:02d}"
            if code not in existing:
                new.append(
                    Sector(
                        code=code,
                        kind=SectorKind.SECTOR,
                        parent=domains[number % len(domains)] if domains else None,
                        name_ja=f"ベンチマーク分野{number:02d}",
                        name_en=f"Bench sector {number:02d}",
                        sort_order=1000 + number,
                    )
                )
        if new:
            Sector.objects.bulk_create(new, batch_size=self.batch_size)
            sectors = list(
                Sector.objects.filter(kind=SectorKind.SECTOR).order_by("sort_order", "code")
            )
        self.total_rows += len(new)
        self._say(f"{'sectors':<36}{len(new):>10,} rows {time.perf_counter() - started:>9.2f} s")

        # Semiconductors and batteries lead the Zipf-like spread, then sort order.
        heavy = {"semiconductors": 0, "batteries": 1}
        sectors.sort(key=lambda s: (heavy.get(s.code, 2), s.sort_order, s.code))
        self.sectors = sectors
        self.sector_ids = [s.pk for s in sectors]
        self.pick_sector = Skewed(self.rng, self.sector_ids, exponent=1.1)

        leaves = list(
            ThreatCategory.objects.filter(children__isnull=True).order_by("sort_order", "code")
        )
        if not leaves:
            raise CommandError("No leaf threat codes. Run `manage.py load_reference_data` first.")
        rank = {code: i for i, code in enumerate(FREQUENT_CODES)}
        leaves.sort(key=lambda c: (rank.get(c.code, len(rank)), c.sort_order, c.code))
        self.pick_code = Skewed(self.rng, [c.pk for c in leaves], exponent=0.8)

    def _organizations(self) -> None:
        last = (
            Organization.objects.filter(name_en__startswith=BENCH_ORG_PREFIX)
            .order_by("-name_en")
            .values_list("name_en", flat=True)
            .first()
        )
        offset = int(last.removeprefix(BENCH_ORG_PREFIX)) if last else 0
        self.org_numbers: list[int] = []
        org_sectors: list[list[int]] = []
        rng = self.rng

        def build():
            for i in range(self.counts["organizations"]):
                number = offset + i + 1
                base = f"{CORPORATE_BASE_PREFIX}{number:010d}"
                association = rng.random() < 0.08
                wanted = rng.randint(2, 4) if association else (2 if rng.random() < 0.3 else 1)
                sectors = list(dict.fromkeys(self.pick_sector() for _ in range(wanted)))
                org_sectors.append(sectors)
                self.org_numbers.append(number)
                if association:
                    name = f"一般社団法人{rng.choice(ORG_CORES)}{rng.choice(SUBJECTS)}協会"
                else:
                    name = f"株式会社{rng.choice(ORG_CORES)}{rng.choice(ORG_TRADES)}"
                day = self._past_day(HISTORY_DAYS + 365)
                yield Organization(
                    name=name,
                    name_en=f"{BENCH_ORG_PREFIX}{number:07d}",
                    corporate_number=f"{corporate_number_check_digit(base)}{base}",
                    kind=OrganizationKind.ASSOCIATION if association else OrganizationKind.COMPANY,
                    size_class=SizeClass.SME if rng.random() < 0.6 else SizeClass.LARGE,
                    created_at=self._moment(day),
                    updated_at=self._moment(day),
                )

        self.org_ids = self._insert("organizations", Organization, build())
        self.org_sectors = dict(zip(self.org_ids, org_sectors, strict=True))
        self.orgs_by_sector: dict[int, list[int]] = defaultdict(list)
        for org, sectors in self.org_sectors.items():
            for sector in sectors:
                self.orgs_by_sector[sector].append(org)
        self._link(
            "organization sectors (m2m)",
            Organization,
            "sectors",
            ((org, s) for org, sectors in self.org_sectors.items() for s in sectors),
        )

    # -- users -------------------------------------------------------------------
    def _users(self) -> None:
        rng = self.rng
        wanted = {f"{BENCH_OFFICIAL_PREFIX}{s.code}": s for s in self.sectors}
        wanted_names = [*wanted, BENCH_SECRETARIAT]
        existing = dict(
            User.objects.filter(username__in=wanted_names).values_list("username", "pk")
        )

        def staff():
            for username in wanted_names:
                if username in existing:
                    continue
                yield User(
                    username=username,
                    password=self.password,
                    email=f"{username}@bench.example.go.jp",
                    last_name=rng.choice(SURNAMES),
                    first_name=rng.choice(GIVEN_NAMES),
                    role=Role.SECRETARIAT if username == BENCH_SECRETARIAT else Role.OFFICIAL,
                )

        new_staff = [name for name in wanted_names if name not in existing]
        created = self._insert("users: officials", User, staff())
        existing.update(zip(new_staff, created, strict=True))
        self._link(
            "official sectors (m2m)",
            User,
            "sectors",
            ((existing[name], wanted[name].pk) for name in new_staff if name in wanted),
        )
        self.secretariat_id = existing[BENCH_SECRETARIAT]
        self.official_of = {wanted[name].pk: existing[name] for name in wanted}

        leaderless = [s for s in self.sectors if s.lead_id is None]
        for sector in leaderless:
            sector.lead_id = self.official_of[sector.pk]
        if leaderless:
            Sector.objects.bulk_update(leaderless, ["lead"], batch_size=self.batch_size)

        with_users = max(1, round(len(self.org_ids) * ORGS_WITH_USERS_SHARE))
        chosen = sorted(rng.sample(range(len(self.org_ids)), with_users))
        members: list[int] = []

        def company_users():
            for index in chosen:
                org, number = self.org_ids[index], self.org_numbers[index]
                for j in range(USERS_PER_ORG):
                    members.append(org)
                    username = f"bench-company-{number:07d}-{j + 1}"
                    yield User(
                        username=username,
                        password=self.password,
                        email=f"{username}@bench.example.co.jp",
                        last_name=rng.choice(SURNAMES),
                        first_name=rng.choice(GIVEN_NAMES),
                        role=Role.COMPANY,
                        organization_id=org,
                        is_org_admin=j == 0,
                    )

        user_ids = self._insert("users: company", User, company_users())
        self.users_of_org: dict[int, list[int]] = defaultdict(list)
        for user, org in zip(user_ids, members, strict=True):
            self.users_of_org[org].append(user)
        self.orgs_with_users = list(self.users_of_org)
        self.company_users = [(u, org) for org, users in self.users_of_org.items() for u in users]

    # -- chokepoints ---------------------------------------------------------------
    def _chokepoints(self) -> None:
        rng = self.rng
        sectors, markings = [], []

        def build():
            for _ in range(self.counts["chokepoints"]):
                sector = self.pick_sector()
                marking = self._marking()
                sectors.append(sector)
                markings.append(marking)
                day = self._past_day()
                share = rng.random() < 0.7
                yield ChokepointTechnology(
                    name=rng.choice(self.text.chokepoint_names),
                    description=rng.choice(self.text.descriptions),
                    sector_id=sector,
                    stage=rng.choice(SupplyChainStage.values),
                    holders=rng.choice(self.text.notes),
                    world_share_pct=Decimal(rng.randint(500, 8000)) / 100 if share else None,
                    outflow_concern=weighted(
                        rng, {ConcernLevel.HIGH: 3, ConcernLevel.MEDIUM: 5, ConcernLevel.LOW: 2}
                    ),
                    like_minded_holders=rng.choice(LIKE_MINDED),
                    marking=marking,
                    created_by_id=self.official_of[sector],
                    created_at=self._moment(day),
                    updated_at=self._moment(day),
                )

        ids = self._insert("chokepoints", ChokepointTechnology, build())
        self.chokepoints_by_sector: dict[int, list[int]] = defaultdict(list)
        holder_pairs = []
        for pk, sector in zip(ids, sectors, strict=True):
            self.chokepoints_by_sector[sector].append(pk)
            candidates = self.orgs_by_sector.get(sector, [])
            for org in rng.sample(candidates, min(len(candidates), rng.randint(1, 3))):
                holder_pairs.append((pk, org))
        self._link(
            "chokepoint holders (m2m)", ChokepointTechnology, "holder_organizations", holder_pairs
        )
        self._link(
            "chokepoint named users (m2m)",
            ChokepointTechnology,
            "named_users",
            self._named(
                ids, markings, lambda i: [self.official_of[sectors[i]], self.secretariat_id]
            ),
        )

    # -- sessions ------------------------------------------------------------------
    def _sessions(self) -> None:
        rng = self.rng
        session_sectors: list[list[int]] = []
        session_orgs: list[list[int]] = []
        markings: list[str] = []
        self.session_day: dict[int, date] = {}
        days: list[date] = []

        def build():
            for _ in range(self.counts["sessions"]):
                held_on = self.today + timedelta(days=rng.randint(-HISTORY_DAYS, 60))
                fmt = weighted(
                    rng,
                    {
                        SessionFormat.COMPANY_HEARING: 50,
                        SessionFormat.INDUSTRY_ROUNDTABLE: 35,
                        SessionFormat.INTERNATIONAL: 15,
                    },
                )
                sectors = [self.pick_sector()]
                if fmt != SessionFormat.COMPANY_HEARING and rng.random() < 0.25:
                    sectors = list(dict.fromkeys([*sectors, self.pick_sector()]))
                candidates = self.orgs_by_sector.get(sectors[0], [])
                wanted = {
                    SessionFormat.COMPANY_HEARING: 1,
                    SessionFormat.INDUSTRY_ROUNDTABLE: rng.randint(3, 6),
                    SessionFormat.INTERNATIONAL: rng.randint(0, 1),
                }[fmt]
                orgs = rng.sample(candidates, min(wanted, len(candidates)))
                if held_on > self.today:
                    status = SessionStatus.PLANNED
                elif (self.today - held_on).days > 30 and rng.random() < 0.85:
                    status = SessionStatus.MINUTES_APPROVED
                else:
                    status = SessionStatus.HELD
                marking = self._marking(
                    {
                        Marking.AMBER: 45,
                        Marking.AMBER_STRICT: 18 if len(orgs) == 1 else 2,
                        Marking.GREEN: 25,
                        Marking.CLEAR: 10,
                        Marking.RED: 2,
                    }
                )
                session_sectors.append(sectors)
                session_orgs.append(orgs)
                markings.append(marking)
                days.append(held_on)
                created = self._moment(held_on - timedelta(days=rng.randint(7, 30)))
                yield DialogueSession(
                    title=rng.choice(self.text.titles),
                    held_on=held_on,
                    format=fmt,
                    status=status,
                    minutes=""
                    if status == SessionStatus.PLANNED
                    else rng.choice(self.text.minutes),
                    marking=marking,
                    created_by_id=self.official_of[sectors[0]],
                    created_at=created,
                    updated_at=max(created, self._moment(min(held_on, self.today))),
                )

        ids = self._insert("dialogue sessions", DialogueSession, build())
        self.session_day = dict(zip(ids, days, strict=True))
        self.sessions_by_sector: dict[int, list[int]] = defaultdict(list)
        for pk, sectors in zip(ids, session_sectors, strict=True):
            for sector in sectors:
                self.sessions_by_sector[sector].append(pk)

        self._link(
            "session sectors (m2m)",
            DialogueSession,
            "sectors",
            ((pk, s) for pk, sectors in zip(ids, session_sectors, strict=True) for s in sectors),
        )
        self._link(
            "session organizations (m2m)",
            DialogueSession,
            "participating_organizations",
            ((pk, o) for pk, orgs in zip(ids, session_orgs, strict=True) for o in orgs),
        )
        chokepoint_pairs = []
        for pk, sectors in zip(ids, session_sectors, strict=True):
            candidates = self.chokepoints_by_sector.get(sectors[0], [])
            if candidates and rng.random() < 0.4:
                for chokepoint in rng.sample(candidates, min(len(candidates), rng.randint(1, 2))):
                    chokepoint_pairs.append((pk, chokepoint))
        self._link("session chokepoints (m2m)", DialogueSession, "chokepoints", chokepoint_pairs)
        self._link(
            "session named users (m2m)",
            DialogueSession,
            "named_users",
            self._named(
                ids,
                markings,
                lambda i: [self.official_of[session_sectors[i][0]], self.secretariat_id],
            ),
        )

        def participants():
            for pk, orgs in zip(ids, session_orgs, strict=True):
                for _ in range(rng.randint(1, 2)):
                    yield Participant(
                        session_id=pk,
                        name=rng.choice(self.text.person_names),
                        affiliation=rng.choice(OFFICIAL_AFFILIATIONS),
                    )
                for org in orgs:
                    for _ in range(rng.randint(1, 2)):
                        yield Participant(
                            session_id=pk,
                            name=rng.choice(self.text.person_names),
                            organization_id=org,
                            affiliation=rng.choice(COMPANY_AFFILIATIONS),
                        )

        self._insert("participants", Participant, participants())
        topics = AgendaTopic.values

        def agenda():
            for pk in ids:
                chosen = rng.sample(topics[:5], rng.randint(1, 3))
                if rng.random() < 0.1:
                    chosen.append(AgendaTopic.OTHER)
                for position, topic in enumerate(chosen):
                    yield AgendaItem(
                        session_id=pk,
                        topic=topic,
                        note=rng.choice(self.text.notes),
                        position=position,
                    )

        self._insert("agenda items", AgendaItem, agenda())

    # -- concerns ------------------------------------------------------------------
    def _concerns(self) -> None:
        rng = self.rng
        # Per concern: submitter, organization, sector, created_at, status, marking.
        meta: list[tuple[int, int, int, datetime, str, str]] = []

        def build():
            for _ in range(self.counts["concerns"]):
                org = rng.choice(self.orgs_with_users)
                submitter = rng.choice(self.users_of_org[org])
                sector = rng.choice(self.org_sectors[org])
                created = self._moment(self._past_day())
                age = (self.now - created).days
                if age > 180:
                    status = weighted(
                        rng,
                        {
                            ConcernStatus.CLOSED: 70,
                            ConcernStatus.ANSWERED: 20,
                            ConcernStatus.WITHDRAWN: 10,
                        },
                    )
                else:
                    status = rng.choice(ConcernStatus.values)
                marking = self._marking(
                    {
                        Marking.AMBER_STRICT: 75,
                        Marking.AMBER: 15,
                        Marking.GREEN: 6,
                        Marking.CLEAR: 2,
                        Marking.RED: 2,
                    }
                )
                meta.append((submitter, org, sector, created, status, marking))
                yield Concern(
                    organization_id=org,
                    submitted_by_id=submitter,
                    sector_id=sector,
                    category_id=self.pick_code(),
                    title=rng.choice(self.text.titles),
                    description=rng.choice(self.text.descriptions),
                    desired_support=rng.choice(DesiredSupport.values),
                    status=status,
                    marking=marking,
                    assigned_to_id=None
                    if status == ConcernStatus.SUBMITTED
                    else self.official_of[sector],
                    created_at=created,
                    updated_at=min(self.now, created + timedelta(days=rng.randint(0, 60))),
                )

        ids = self._insert("concerns", Concern, build())
        self.concerns_by_sector: dict[int, list[int]] = defaultdict(list)
        for pk, (_, _, sector, _, _, _) in zip(ids, meta, strict=True):
            self.concerns_by_sector[sector].append(pk)
        self._link(
            "concern named users (m2m)",
            Concern,
            "named_users",
            self._named(
                ids, [m[5] for m in meta], lambda i: [meta[i][0], self.official_of[meta[i][2]]]
            ),
        )

        def messages():
            for pk, (submitter, _, sector, created, status, _) in zip(ids, meta, strict=True):
                official = self.official_of[sector]
                count = 0 if status == ConcernStatus.SUBMITTED else rng.randint(1, 3)
                at = created
                for n in range(count):
                    at = min(self.now, at + timedelta(hours=rng.randint(2, 96)))
                    internal = n > 0 and rng.random() < 0.15
                    yield ConcernMessage(
                        concern_id=pk,
                        author_id=submitter if n % 2 == 0 and not internal else official,
                        body=rng.choice(self.text.messages),
                        is_internal=internal,
                        created_at=at,
                        updated_at=at,
                    )

        self._insert("concern messages", ConcernMessage, messages())

    # -- threats ---------------------------------------------------------------------
    def _threats(self) -> None:
        rng = self.rng
        sectors, markings = [], []
        scores = [1, 2, 3, 4, 5]

        def build():
            for _ in range(self.counts["threats"]):
                sector = self.pick_sector()
                session = concern = None
                sessions = self.sessions_by_sector.get(sector)
                if sessions and rng.random() < 0.4:
                    session = rng.choice(sessions)
                concerns = self.concerns_by_sector.get(sector)
                if concerns and rng.random() < 0.1:
                    concern = rng.choice(concerns)
                earliest = self.session_day.get(session, self.today - timedelta(days=HISTORY_DAYS))
                span = max(0, (self.today - earliest).days)
                created = self._moment(self.today - timedelta(days=rng.randint(0, span)))
                marking = self._marking()
                sectors.append(sector)
                markings.append(marking)
                yield Threat(
                    title=rng.choice(self.text.titles),
                    description=rng.choice(self.text.descriptions),
                    sector_id=sector,
                    category_id=self.pick_code(),
                    likelihood=rng.choices(scores, weights=[1, 3, 4, 3, 1])[0],
                    impact=rng.choices(scores, weights=[1, 2, 3, 4, 2])[0],
                    status=weighted(
                        rng,
                        {
                            ThreatStatus.IDENTIFIED: 30,
                            ThreatStatus.MONITORING: 35,
                            ThreatStatus.MITIGATING: 25,
                            ThreatStatus.CLOSED: 10,
                        },
                    ),
                    source_session_id=session,
                    source_concern_id=concern,
                    marking=marking,
                    created_by_id=self.official_of[sector],
                    created_at=created,
                    updated_at=min(self.now, created + timedelta(days=rng.randint(0, 90))),
                )

        ids = self._insert("threats", Threat, build())
        self.threats_by_sector: dict[int, list[int]] = defaultdict(list)
        chokepoint_pairs = []
        for pk, sector in zip(ids, sectors, strict=True):
            self.threats_by_sector[sector].append(pk)
            candidates = self.chokepoints_by_sector.get(sector)
            if candidates and rng.random() < 0.25:
                chokepoint_pairs.append((pk, rng.choice(candidates)))
        self._link("threat chokepoints (m2m)", Threat, "chokepoints", chokepoint_pairs)
        self._link(
            "threat named users (m2m)",
            Threat,
            "named_users",
            self._named(
                ids, markings, lambda i: [self.official_of[sectors[i]], self.secretariat_id]
            ),
        )

    # -- follow-up actions -------------------------------------------------------------
    def _actions(self) -> None:
        rng = self.rng
        owners, markings = [], []

        def build():
            for _ in range(self.counts["actions"]):
                owner_org = None
                if self.company_users and rng.random() < 0.2:
                    owner, owner_org = rng.choice(self.company_users)
                    sector = rng.choice(self.org_sectors[owner_org])
                else:
                    sector = self.pick_sector()
                    owner = self.secretariat_id if rng.random() < 0.1 else self.official_of[sector]
                due_on = self.today + timedelta(days=round(rng.triangular(-240, 120, 20)))
                created = self._moment(
                    min(self.today, due_on - timedelta(days=rng.randint(14, 120)))
                )
                if due_on < self.today:
                    status = weighted(
                        rng,
                        {
                            ActionStatus.DONE: 70,
                            ActionStatus.CANCELLED: 5,
                            ActionStatus.OPEN: 15,
                            ActionStatus.IN_PROGRESS: 10,
                        },
                    )
                else:
                    status = weighted(
                        rng,
                        {
                            ActionStatus.DONE: 10,
                            ActionStatus.OPEN: 60,
                            ActionStatus.IN_PROGRESS: 30,
                        },
                    )
                completed_at = None
                if status == ActionStatus.DONE:
                    completed_at = min(self.now, created + timedelta(days=rng.randint(1, 60)))
                sessions = self.sessions_by_sector.get(sector)
                threats = self.threats_by_sector.get(sector)
                concerns = self.concerns_by_sector.get(sector)
                marking = self._marking(
                    {
                        Marking.AMBER: 45,
                        Marking.AMBER_STRICT: 20 if owner_org else 8,
                        Marking.GREEN: 30,
                        Marking.CLEAR: 8,
                        Marking.RED: 2,
                    }
                )
                owners.append((owner, sector))
                markings.append(marking)
                yield FollowUpAction(
                    title=rng.choice(self.text.titles),
                    description=rng.choice(self.text.descriptions),
                    sector_id=sector,
                    owner_id=owner,
                    owner_organization_id=owner_org,
                    due_on=due_on,
                    status=status,
                    priority=weighted(rng, {Priority.HIGH: 2, Priority.MEDIUM: 5, Priority.LOW: 3}),
                    pillar=rng.choice(PolicyPillar.values),
                    session_id=rng.choice(sessions) if sessions and rng.random() < 0.5 else None,
                    threat_id=rng.choice(threats) if threats and rng.random() < 0.3 else None,
                    concern_id=rng.choice(concerns) if concerns and rng.random() < 0.1 else None,
                    completion_note=rng.choice(self.text.notes) if completed_at else "",
                    completed_at=completed_at,
                    marking=marking,
                    created_by_id=self.official_of[sector],
                    created_at=created,
                    updated_at=max(created, completed_at or created),
                )

        ids = self._insert("follow-up actions", FollowUpAction, build())
        self._link(
            "action named users (m2m)",
            FollowUpAction,
            "named_users",
            self._named(ids, markings, lambda i: [owners[i][0], self.official_of[owners[i][1]]]),
        )
