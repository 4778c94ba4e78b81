"""The Japanese and English catalogues are complete and compiled.

Every entry of dialogue/locale/<lang>/LC_MESSAGES/django.po has a translation,
none is fuzzy, placeholders survive translation, and django.mo says the same as
django.po (so forgetting `compilemessages` fails the suite). The .po files are
read with the small parser below (stdlib only); the .mo with stdlib gettext.
No database needed.
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

LOCALE_DIR = Path(__file__).resolve().parent.parent / "dialogue" / "locale"
LANGUAGES = ["ja", "en"]
PLURAL_FORMS = {
    "ja": "nplurals=1; plural=0;",
    "en": "nplurals=2; plural=(n != 1);",
}

# %(name)s, %(count)d … and {name}, {0}, {} (brace formats).
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdiouxXeEfFgGcr]|\{[^{}]*\}")
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")\s*$")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def _unquote(literal: str) -> str:
    # A PO string is a double-quoted C string; its escapes are a subset of Python's.
    return ast.literal_eval(literal)


def parse_po(path: Path) -> list[Entry]:
    """Parse a .po file into entries (obsolete `#~` entries are skipped)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None  # (keyword, plural index)

    def finish() -> None:
        nonlocal current, target
        if current is not None:
            entries.append(current)
        current, target = None, None

    pending_flags: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            finish()
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            if current is not None and current.msgstr:
                finish()
            continue
        if line.startswith('"'):
            assert current is not None and target is not None, f"{path}:{number}: stray string"
            keyword, index = target
            text = _unquote(line)
            if keyword == "msgstr":
                current.msgstr[index] += text
            else:
                setattr(current, keyword, getattr(current, keyword) + text)
            continue
        match = KEYWORD.match(line)
        assert match, f"{path}:{number}: cannot parse {raw!r}"
        keyword, literal = match.groups()
        text = _unquote(literal)
        if keyword in ("msgctxt", "msgid") and current is not None and current.msgstr:
            finish()
        if current is None:
            current = Entry(flags=pending_flags, line=number)
            pending_flags = set()
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            current.msgstr[index] = text
            target = ("msgstr", index)
        else:
            setattr(current, keyword, text)
            target = (keyword, None)
    finish()
    return entries


def _po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def _mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo"


def _entries(lang: str) -> list[Entry]:
    return [entry for entry in parse_po(_po_path(lang)) if not entry.is_header]


def _header(lang: str) -> dict[str, str]:
    (header,) = [entry for entry in parse_po(_po_path(lang)) if entry.is_header]
    pairs = (line.split(":", 1) for line in header.msgstr[0].splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


class _Missing(gettext.NullTranslations):
    """Fallback that marks a message the .mo does not contain."""

    MARK = "\x00missing from django.mo\x00"

    def gettext(self, message):
        return self.MARK

    def ngettext(self, msgid1, msgid2, n):
        return self.MARK

    def pgettext(self, context, message):
        return self.MARK

    def npgettext(self, context, msgid1, msgid2, n):
        return self.MARK


def _compiled(lang: str) -> gettext.GNUTranslations:
    with _mo_path(lang).open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    catalog.add_fallback(_Missing())
    return catalog


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_parser_reads_multiline_plural_and_context_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: ja\\n"\n\n'
        "#: a.py:1\n#, fuzzy, python-format\n"
        'msgid ""\n"Hello "\n"%(name)s"\nmsgstr "こんにちは「%(name)s」"\n\n'
        'msgctxt "menu"\nmsgid "%(n)d item"\nmsgid_plural "%(n)d items"\n'
        'msgstr[0] "%(n)d 件"\nmsgstr[1] ""\n\n'
        '#~ msgid "old"\n#~ msgstr "古い"\n',
        encoding="utf-8",
    )
    header, hello, items = parse_po(po)
    assert header.is_header and header.msgstr == {0: "Language: ja\n"}
    assert hello.msgid == "Hello %(name)s"
    assert hello.flags == {"fuzzy", "python-format"}
    assert items.msgctxt == "menu" and items.msgid_plural == "%(n)d items"
    assert items.msgstr == {0: "%(n)d 件", 1: ""}
    assert not items.flags


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_has_entries(lang):
    assert len(_entries(lang)) > 100


@pytest.mark.parametrize("lang", LANGUAGES)
def test_header(lang):
    header = _header(lang)
    assert header["Language"] == lang
    assert header["Plural-Forms"] == PLURAL_FORMS[lang]
    assert header["Content-Type"] == "text/plain; charset=UTF-8"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated(lang):
    nplurals = int(re.search(r"nplurals=(\d+)", _header(lang)["Plural-Forms"]).group(1))
    untranslated = []
    for entry in _entries(lang):
        expected = set(range(nplurals)) if entry.msgid_plural is not None else {0}
        if set(entry.msgstr) != expected or not all(entry.msgstr.values()):
            untranslated.append(str(entry))
    assert untranslated == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_entry_is_fuzzy(lang):
    fuzzy = [entry for entry in parse_po(_po_path(lang)) if "fuzzy" in entry.flags]
    assert [str(entry) for entry in fuzzy] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_survive_translation(lang):
    broken = []
    for entry in _entries(lang):
        needed = _placeholders(entry.msgid)
        if entry.msgid_plural is not None:
            needed &= _placeholders(entry.msgid_plural)
        for index, msgstr in entry.msgstr.items():
            if not needed <= _placeholders(msgstr):
                broken.append(f"{entry} msgstr[{index}]={msgstr!r}")
    assert broken == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_matches_po(lang):
    """django.mo is up to date with django.po: run `compilemessages` if this fails."""
    assert _mo_path(lang).is_file(), "run compilemessages"
    catalog = _compiled(lang)
    stale = []
    for entry in _entries(lang):
        for index, msgstr in entry.msgstr.items():
            if entry.msgid_plural is None:
                if entry.msgctxt is None:
                    got = catalog.gettext(entry.msgid)
                else:
                    got = catalog.pgettext(entry.msgctxt, entry.msgid)
            else:
                n = next(n for n in range(1000) if catalog.plural(n) == index)
                if entry.msgctxt is None:
                    got = catalog.ngettext(entry.msgid, entry.msgid_plural, n)
                else:
                    got = catalog.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
            if got != msgstr:
                stale.append(f"{entry} msgstr[{index}]: .mo has {got!r}, .po has {msgstr!r}")
    assert stale == []


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [
        ("Sector official", "分野担当職員"),
        ("Secretariat official", "事務局職員"),
        ("Company user", "企業ユーザー"),
        ("corporate number", "法人番号"),
        ("threat code", "脅威コード"),
        ("threat", "脅威"),
        ("threats", "脅威"),
        ("marking", "取扱区分"),
        ("created at", "作成日時"),
        ("concern", "懸念・相談"),
        ("follow-up action", "フォローアップアクション"),
        ("dialogue session", "対話セッション"),
        ("plan revision", "アクションプラン改訂版"),
        ("chokepoint technology", "チョークポイント技術"),
        ("designated critical product", "特定重要物資"),
        # The plan's own words (its 三本柱 are a different thing from these policy areas).
        ("policy pillar", "政策領域"),
        ("Upstream", "上流"),
        ("Midstream", "中流"),
        ("Downstream", "下流"),
        ("Investment rule", "投資審査"),
        ("Technology domain", "先端技術分野"),
        ("Issue identified in the hearings", "ヒアリングで明らかになった課題"),
    ],
)
def test_japanese_glossary_terms(msgid, expected):
    assert _compiled("ja").gettext(msgid) == expected


@pytest.mark.parametrize(
    ("context", "msgid", "expected"),
    [
        ("session", "Format", "開催形式"),  # not a file format
        ("person", "name", "氏名"),  # people have 氏名, things 名称
        ("person", "Name", "氏名"),
        ("value before the change", "Previous", "変更前"),  # not the pager's 前へ
        ("relate records", "Link", "関連付ける"),
    ],
)
def test_japanese_terms_that_depend_on_what_they_name(context, msgid, expected):
    assert _compiled("ja").pgettext(context, msgid) == expected


def test_no_english_words_in_brackets_in_japanese_labels():
    """A Japanese label does not explain itself with English in brackets; names of file
    formats and established abbreviations are the exceptions."""
    allowed = {"（XLSX）", "（BCP）"}
    found = set()
    for entry in _entries("ja"):
        for text in entry.msgstr.values():
            found |= set(re.findall(r"（[A-Za-z][A-Za-z .-]*）", text))
    assert found <= allowed, sorted(found - allowed)


@pytest.mark.parametrize(
    ("msgid_start", "needle"),
    [
        ("This corporate number's check digit is wrong", "チェックデジット"),
        ("“%(code)s” is not a threat code", "脅威コード"),
        ("Enter the due date as YYYY-MM-DD", "YYYY-MM-DD"),
    ],
)
def test_japanese_messages_keep_key_words(msgid_start, needle):
    (entry,) = [e for e in _entries("ja") if e.msgid.startswith(msgid_start)]
    assert needle in entry.msgstr[0]


def test_django_uses_the_catalogues():
    with translation.override("ja"):
        assert translation.gettext("Sector official") == "分野担当職員"
    with translation.override("en"):
        assert translation.gettext("Sector official") == "Sector official"
