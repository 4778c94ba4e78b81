"""Minutes in Markdown are rendered, then sanitized: no script, no handlers, no bad links."""

import pytest
from django.template import Context, Template

from dialogue.templatetags.markup import markdown_to_safe_html


def render(text: str) -> str:
    return Template("{% load markup %}{{ text|render_markdown }}").render(Context({"text": text}))


def test_markdown_becomes_html():
    html = render("## 議題\n\n- 技術流出\n- **供給途絶**\n\n[資料](https://www.meti.go.jp/)")
    assert "<h3>議題</h3>" in html  # just under the card's h2
    assert "<li>技術流出</li>" in html
    assert "<strong>供給途絶</strong>" in html
    assert '<a href="https://www.meti.go.jp/" rel="noopener noreferrer">資料</a>' in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        '"><svg onload=alert(1)>',
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        '<a href="jav&#x61;script:alert(1)">x</a>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](ｊａｖａｓｃｒｉｐｔ：alert(1))",
        '<p style="background:url(javascript:alert(1))" onclick="alert(1)">x</p>',
        "<iframe src=https://evil.example></iframe>",
        "<!-- <script>alert(1)</script> -->",
    ],
)
def test_dangerous_markup_is_removed(attack):
    html = render(f"議事録\n\n{attack}\n")
    lowered = html.lower()
    for needle in ("<script", "<svg", "<img", "<iframe", "onload", "onerror", "onclick", "style="):
        assert needle not in lowered, (attack, html)
    assert "javascript:" not in lowered
    assert "ｊａｖａｓｃｒｉｐｔ" not in lowered or "href" not in lowered
    assert "data:text" not in lowered


def test_full_width_angle_brackets_stay_harmless_text():
    html = render("＜script＞alert(1)＜/script＞")
    assert "<script" not in html
    assert "＜script＞alert(1)＜/script＞" in html


def test_only_href_survives_on_links_and_rel_is_forced():
    html = markdown_to_safe_html(
        '<a href="https://example.go.jp" target="_blank" rel="opener" class="x" id="y">x</a>'
    )
    assert html == '<p><a href="https://example.go.jp" rel="noopener noreferrer">x</a></p>' or (
        html == '<a href="https://example.go.jp" rel="noopener noreferrer">x</a>'
    )


def test_empty_minutes_render_as_nothing():
    assert render("") == ""
    assert render(None) == ""


@pytest.mark.parametrize(
    ("text", "under", "expected"),
    [
        ("# 見出し", 2, "<h3>見出し</h3>"),  # under a card's h2: never a second page title
        ("# 見出し", 1, "<h2>見出し</h2>"),  # right under the page's h1
        ("###### 小見出し", 2, "<h6>小見出し</h6>"),  # capped at h6
    ],
)
def test_headings_sit_below_the_page_heading(text, under, expected):
    html = Template("{% load markup %}{{ text|render_markdown:under }}").render(
        Context({"text": text, "under": under})
    )
    assert expected in html
    assert "<h1>" not in html
