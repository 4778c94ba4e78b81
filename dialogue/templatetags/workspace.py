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

from urllib.parse import quote

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from dialogue.enums import Marking, SeverityLevel
from dialogue.measure_dates import measure_date_label
from dialogue.models import SavedFilter
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
    ("workspace:dependency-map", _("Dependencies"), "dependency"),
    ("workspace:session-list", _("Sessions"), "session"),
    ("workspace:forum-list", _("Forums"), "forum"),
    ("workspace:action-list", _("Actions"), "action"),
    ("workspace:concern-list", _("Concerns"), "concern"),
    ("workspace:notice-list", _("Notices"), "notice"),
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
def heat_cell(row, cell, threat_list_url: str) -> SafeString:
    """One cell of the dashboard's heat map: its count, linked to the register filtered by
    the row's sector and the cell's threat code. Built in Python because the map has
    hundreds of cells, and the same markup in the template language took most of the
    page's rendering time."""
    if not cell.count:
        return format_html(
            '<td class="heat heat-{}"><span class="heat__zero">0</span></td>', cell.level
        )
    sector, category = row.sector, cell.category
    label = ngettext(
        "%(sector)s, %(code)s %(name)s: %(counter)s threat",
        "%(sector)s, %(code)s %(name)s: %(counter)s threats",
        cell.count,
    ) % {
        "sector": sector.name,
        "code": category.code,
        "name": category.name,
        "counter": cell.count,
    }
    href = f"{threat_list_url}?sector={quote(sector.code)}&category={quote(category.code)}"
    return format_html(
        '<td class="heat heat-{}"><a href="{}" aria-label="{}">{}</a></td>',
        cell.level,
        href,
        label,
        cell.count,
    )


@register.simple_tag
def error_items(form, formsets=None) -> list[dict[str, str]]:
    """Every error of `form` and of the row formsets in `formsets` (a dict, as the session
    form has them), in page order: {"href": "#field-id" or "", "label", "message"}. A row's
    field is named with its section (the row form's `section`) and its row number."""
    if form is None or not hasattr(form, "errors"):
        return []
    items = [{"href": "", "label": "", "message": str(e)} for e in form.non_field_errors()]
    items += _field_items(form, label_prefix="")
    for formset in (formsets or {}).values():
        section = str(getattr(formset.form, "section", ""))
        items += [
            {"href": "", "label": "", "message": f"{section}: {error}"}
            for error in formset.non_form_errors()
        ]
        for number, row in enumerate(formset.forms, start=1):
            prefix = pgettext("error summary", "%(section)s, row %(number)s: ") % {
                "section": section,
                "number": number,
            }
            items += [
                {"href": "", "label": "", "message": f"{prefix}{error}"}
                for error in row.non_field_errors()
            ]
            items += _field_items(row, label_prefix=prefix)
    return items


def _field_items(form, *, label_prefix: str) -> list[dict[str, str]]:
    return [
        {
            "href": f"#{field.id_for_label}",
            "label": f"{label_prefix}{capfirst(field.label)}",
            "message": " ".join(str(error) for error in field.errors),
        }
        for field in form
        if field.errors
    ]


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


@register.filter
def measure_date(measure) -> str:
    """`{{ measure|measure_date }}`: "2023年8月施行", "施行予定" … as the plan gives the date."""
    return measure_date_label(
        measure.effective_on, measure.effective_precision, status=measure.status
    )


@register.simple_tag(takes_context=True)
def saved_filters(context) -> list:
    """The reader's saved filters of the list being shown (one query)."""
    request = context["request"]
    match = request.resolver_match
    if match is None or not request.user.is_authenticated:
        return []
    return list(SavedFilter.objects.visible_to(request.user).filter(list_name=match.view_name))


@register.simple_tag
def marking_badge(marking: str) -> SafeString:
    """The TLP badge of a marking, rendered in Python: a list shows one per row, and a
    template include per row cost more than the rest of the row."""
    return format_html(
        '<span class="tlp {}">{}</span>', marking_class(marking), marking_label(marking)
    )


@register.simple_tag
def severity_badge(score) -> SafeString:
    """A severity score (likelihood × impact) with its band, rendered in Python."""
    band = severity_band(score)
    return format_html(
        '<span class="severity severity--{}">{}<span class="severity__label">{}</span></span>',
        band if band is not None else "",
        score,
        band.label if band is not None else "",
    )
