"""One world for the export tests: two sectors, four companies, officials, a published
first edition and a second edition started after live changes."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

import pytest

from dialogue.enums import Marking, PlanRevisionStatus
from dialogue.models import PlanRevision
from dialogue.services.plans import plan_revision_publish, plan_revision_start
from tests import factories as f
from tests.support.auth import signed_in  # noqa: F401  (this folder's tests import it from here)

COMPANY_A = "阿留波精密工業株式会社"
COMPANY_B = "部多電子株式会社"
CONCERN_A_TITLE = "阿留波社 フォトレジスト輸出規制への対応相談"
SEMI_AMBER_SESSION = "半導体AMBER対話: 阿留波社ヒアリング"
SEMI_GREEN_SESSION = "半導体 公開ラウンドテーブル"
THREAT_AMBER = "退職者を通じた技術流出"
THREAT_GREEN = "フォトレジスト原料の供給途絶"
THREAT_BATT = "電池AMBER脅威: 正極材の供給途絶"
THREAT_RED = "赤区分: 特定工場を狙う標的型攻撃の兆候"
CHOKEPOINT = "フォトレジスト"
ACTION_SEMI = "輸出管理の自主点検"
ACTION_BATT = "電池AMBERアクション: 備蓄の点検"
FORMULAS = [
    '=HYPERLINK("http://evil.example")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "\tタブ",
    "\r改行",
    "＝全角",
    "＋全角",
    "－全角",
    "＠全角",
]


@dataclass
class World:
    semis: object
    batteries: object
    people: dict
    orgs: dict
    records: dict = field(default_factory=dict)
    first: PlanRevision | None = None


@pytest.fixture
def world(semiconductors, batteries, code) -> World:
    orgs = {
        name: f.OrganizationFactory(name=title, sectors=[semiconductors, batteries])
        for name, title in (
            ("a", COMPANY_A),
            ("b", COMPANY_B),
            ("c", "株式会社シー"),
            ("d", "株式会社ディー"),
        )
    }
    people = {
        "company_a": f.CompanyUserFactory(username="company_a", organization=orgs["a"]),
        "company_b": f.CompanyUserFactory(username="company_b", organization=orgs["b"]),
        "semi_official": f.OfficialFactory(username="semi_official", sectors=[semiconductors]),
        "batt_official": f.OfficialFactory(username="batt_official", sectors=[batteries]),
        "secretariat": f.SecretariatFactory(username="secretariat"),
    }
    w = World(semiconductors, batteries, people, orgs)
    r = w.records
    r["session_amber"] = f.DialogueSessionFactory(
        title=SEMI_AMBER_SESSION,
        sectors=[semiconductors],
        participating_organizations=[orgs["a"]],
        marking=Marking.AMBER,
    )
    r["session_green"] = f.DialogueSessionFactory(
        title=SEMI_GREEN_SESSION, sectors=[semiconductors], marking=Marking.GREEN
    )
    r["concern_a"] = f.ConcernFactory(
        organization=orgs["a"], sector=semiconductors, category=code("2-2"), title=CONCERN_A_TITLE
    )
    # semiconductors × 2-2: 4 concerns from 3 organizations (shown); × 2-1: 2 from 1 (suppressed).
    for org in ("b", "c", "c"):
        f.ConcernFactory(organization=orgs[org], sector=semiconductors, category=code("2-2"))
    for _ in range(2):
        f.ConcernFactory(organization=orgs["d"], sector=semiconductors, category=code("2-1"))
    # batteries × 1-2: 3 organizations.
    for org in ("a", "b", "c"):
        f.ConcernFactory(organization=orgs[org], sector=batteries, category=code("1-2"))
    r["chokepoint"] = f.ChokepointFactory(
        name=CHOKEPOINT, sector=semiconductors, marking=Marking.GREEN, world_share_pct=48
    )
    r["session_green"].chokepoints.add(r["chokepoint"])
    r["session_amber"].chokepoints.add(r["chokepoint"])
    r["threat_amber"] = f.ThreatFactory(
        title=THREAT_AMBER,
        sector=semiconductors,
        category=code("1-2"),
        likelihood=4,
        impact=4,
        marking=Marking.AMBER,
        source_session=r["session_amber"],
        source_concern=r["concern_a"],
    )
    r["threat_green"] = f.ThreatFactory(
        title=THREAT_GREEN,
        sector=semiconductors,
        category=code("2-1"),
        likelihood=2,
        impact=3,
        marking=Marking.GREEN,
        source_session=r["session_green"],
    )
    r["threat_green"].chokepoints.add(r["chokepoint"])
    r["threat_batt"] = f.ThreatFactory(
        title=THREAT_BATT, sector=batteries, category=code("2-1"), marking=Marking.AMBER
    )
    r["threat_red"] = f.ThreatFactory(
        title=THREAT_RED,
        sector=semiconductors,
        category=code("3-3"),
        marking=Marking.RED,
        named_users=[people["secretariat"]],
    )
    r["formulas"] = [
        f.ThreatFactory(
            title=text, sector=semiconductors, category=code("3-1"), marking=Marking.GREEN
        )
        for text in FORMULAS
    ]
    r["action_semi"] = f.FollowUpActionFactory(
        title=ACTION_SEMI,
        sector=semiconductors,
        marking=Marking.AMBER,
        threat=r["threat_amber"],
        session=r["session_amber"],
        owner=people["semi_official"],
    )
    r["action_batt"] = f.FollowUpActionFactory(
        title=ACTION_BATT,
        sector=batteries,
        marking=Marking.AMBER,
        threat=r["threat_batt"],
        owner=people["batt_official"],
    )
    return w


@pytest.fixture
def published(world) -> World:
    """The first edition, published."""
    revision = plan_revision_start(actor=world.people["secretariat"])
    world.first = plan_revision_publish(revision=revision, actor=world.people["secretariat"])
    assert world.first.status == PlanRevisionStatus.PUBLISHED
    return world


# --- reading files --------------------------------------------------------------------


def read_xlsx(data: bytes) -> dict[str, list[list]]:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


def read_csv_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def parse_csv(data: bytes) -> list[list[str]]:
    import csv

    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def pdf_pages_text(data: bytes) -> list[str]:
    """The text of each page, as pypdf extracts it (through the fonts' ToUnicode maps)."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@dataclass(frozen=True)
class PdfFont:
    name: str  # BaseFont without the subset tag, e.g. "IPAexGothic"
    subset: bool  # BaseFont carries a six-letter subset tag ("ABCDEF+")
    embedded: bool  # the font program is in the file (FontFile, FontFile2 or FontFile3)


def pdf_fonts(data: bytes) -> set[PdfFont]:
    """Every font the pages use, like poppler's pdffonts: name, subset, embedded."""
    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            base = str(font.get("/BaseFont", ""))[1:]
            tag, plus, name = base.partition("+")
            subset = bool(plus) and len(tag) == 6 and tag.isalpha() and tag.isupper()
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(PdfFont(name if subset else base, subset, embedded))
    return fonts
