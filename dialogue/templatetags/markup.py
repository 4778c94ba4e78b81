"""Markdown for user-written text (session minutes), rendered then sanitized.

`{% load markup %}` then `{{ session.minutes|render_markdown }}`, or
`{{ text|render_markdown:1 }}` for text placed right under the page's h1.

The text sits under a heading of the page (by default an h2 card title), so its own
headings are moved below that one: `# 見出し` becomes an h3, never a second page title,
and a text whose highest heading is already `###` keeps it.

Markdown passes raw HTML through, so its output is never trusted: nh3 (the
ammonia sanitizer) keeps only the tags below, no attribute except `href` on
links, only http, https and mailto links (and relative ones), and adds
rel="noopener noreferrer" so a linked site neither controls this window nor
learns which workspace page linked to it.
"""

from __future__ import annotations

import re
import unicodedata

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer"
SCHEME = re.compile(r"^\s*([^:/?#\s]+):")
HEADING = re.compile(r"<(/?)h([1-6])>")
MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "fenced_code"]


def _safe_href(tag: str, attribute: str, value: str) -> str | None:
    """Drop a link whose scheme is not allowed once full-width letters are folded:
    ｊａｖａｓｃｒｉｐｔ：… is harmless to a browser, but never worth keeping."""
    if attribute != "href":
        return value
    folded = unicodedata.normalize("NFKC", value)
    scheme = SCHEME.match(folded)
    if scheme and scheme.group(1).lower() not in ALLOWED_URL_SCHEMES:
        return None
    return value


def _demote_headings(html: str, under: int) -> str:
    """Move the headings down so that the text's highest one sits just below `under`;
    their order among themselves is kept."""
    levels = [int(m.group(2)) for m in HEADING.finditer(html)]
    shift = max(0, under + 1 - min(levels)) if levels else 0
    if not shift:
        return html
    return HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}>", html)


def markdown_to_safe_html(text: str, under: int = 2) -> str:
    """`under`: the level of the page heading the text sits under (0 keeps # as h1)."""
    html = markdown_lib.markdown(text or "", extensions=MARKDOWN_EXTENSIONS, output_format="html")
    html = _demote_headings(html, under)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        attribute_filter=_safe_href,
        strip_comments=True,
    )


@register.filter(is_safe=True)
def render_markdown(text: str, under: int = 2) -> SafeString:
    return mark_safe(markdown_to_safe_html(text, int(under)))  # noqa: S308 - sanitized by nh3 just above
