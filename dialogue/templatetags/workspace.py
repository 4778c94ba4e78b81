"""Template helpers for the officials' workspace: navigation, names, badges and links.

`{% load workspace %}` in any workspace template.

- `{% workspace_nav %}` renders the main navigation. An item appears only when
  its URL name exists, so part of the workspace that is not built yet simply
  has no menu entry; adding the route (e.g. `workspace:session-list`) adds it.
- `{% optional_url "workspace:session-detail" session.pk as href %}` gives ""
  instead of failing when the route does not exist yet; link only `{% if href %}`.
- `{{ user|person_name }}`: the name in the order of the active language.
"""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from dialogue.enums import Marking, SeverityLevel
from dialogue.models.threats import severity_level
from dialogue.names import person_name
from dialogue.permissions import is_secretariat
from dialogue.permissions import may_use_workspace as workspace_allowed

register = template.Library()

# (URL name, label, the URL-name prefix that marks the item's section as current)
NAV_ITEMS = [
    ("workspace:dashboard", _("Dashboard"), "dashboard"),
    ("workspace:sector-list", _("Sectors"), "sector"),
    ("workspace:threat-list", _("Threats"), "threat"),
    ("workspace:chokepoint-list", _("Chokepoints"), "chokepoint"),
    ("workspace:session-list", _("Sessions"), "session"),
    ("workspace:action-list", _("Actions"), "action"),
    ("workspace:concern-list", _("Concerns"), "concern"),
    ("workspace:support-catalogue", _("Support"), "support"),
    ("plans:plan-list", _("Plan revisions"), "plan"),
    ("workspace:search", _("Search"), "search"),
]


def _reverse_or_empty(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.inclusion_tag("dialogue/includes/nav.html", takes_context=True)
def workspace_nav(context):
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match else ""
    current = match.url_name if match and namespace in ("workspace", "plans") else ""
    items = []
    for name, label, section in NAV_ITEMS:
        url = _reverse_or_empty(name)
        if not url:
            continue
        item_namespace, item_name = name.split(":", 1)
        items.append(
            {
                "url": url,
                "label": label,
                "current": namespace == item_namespace and current == item_name,
                "in_section": current == section or current.startswith(f"{section}-"),
            }
        )
    return {"items": items}


@register.simple_tag
def optional_url(name: str, *args) -> str:
    """The URL, or "" when no route has this name (yet)."""
    return _reverse_or_empty(name, *args)


# Defined in dialogue.names: list filters below the views name people as pages do.
register.filter(person_name)


@register.simple_tag
def sep() -> str:
    """The separator between short facts on one line: ・ in Japanese, · in English."""
    return pgettext("separator between short facts", " · ")


@register.simple_tag
def sep_list() -> str:
    """The separator between items of a list written inline (、 / comma)."""
    return pgettext("list separator", ", ")


@register.filter
def join_names(items) -> str:
    """Names joined as a list: 、 in Japanese, a comma in English."""
    return sep_list().join(str(item) for item in items)


@register.filter
def in_parens(text) -> str:
    """Text in parentheses: full-width in Japanese, ASCII after a space in English."""
    return pgettext("parenthesized text", " (%(text)s)") % {"text": text}


@register.inclusion_tag("dialogue/includes/signed_in_as.html")
def signed_in_as(user):
    """Who is signed in, with role and sectors (one query for an official's sectors)."""
    if is_secretariat(user):
        sectors = str(_("all sectors"))
    else:
        sectors = join_names(s.name for s in user.sectors.order_by("sort_order", "code"))
    role = user.get_role_display()
    detail = (
        pgettext("role and sectors", "%(role)s: %(sectors)s") % {"role": role, "sectors": sectors}
        if sectors
        else role
    )
    return {"user": user, "detail": detail}


@register.filter
def marking_class(value: str) -> str:
    """CSS class for a TLP marking: tlp-clear, tlp-green, tlp-amber, tlp-amber-strict, tlp-red."""
    if value not in Marking.values:
        return "tlp-unknown"
    return "tlp-" + value.lower().replace("+", "-")


@register.filter
def marking_label(value: str) -> str:
    return Marking(value).label if value in Marking.values else str(value)


@register.filter
def severity_band(score) -> SeverityLevel | None:
    """The band (low … critical) of a likelihood × impact score."""
    try:
        return severity_level(int(score))
    except (TypeError, ValueError):
        return None


@register.filter
def may_use_workspace(user) -> bool:
    return workspace_allowed(user)
