"""Widgets that render in Python what Django renders with one template per option.

A list page's filters offer some forty sectors, twenty threat codes and the people of a
sector: with Django's template widgets each <option> is a template render, which made
the filter form most of a list page's time. The HTML is the same as Django's.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(format_html('<optgroup label="{}">', group_name))
            html.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                html.append("</optgroup>")
        html.append("</select>")
        return mark_safe("\n".join(html))  # noqa: S308 - every part went through format_html


class FastSelectMultiple(forms.SelectMultiple):
    render = FastSelect.render


def fast_selects(form: forms.BaseForm) -> None:
    """Render the form's plain select boxes with the fast widgets (same HTML)."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget.__class__ = FastSelect
        elif type(field.widget) is forms.SelectMultiple:
            field.widget.__class__ = FastSelectMultiple
