"""Japanese vocabulary for bench rows, and TextPool, the pre-built texts drawn per row."""

from __future__ import annotations

import random

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
