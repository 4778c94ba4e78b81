"""What the threat and chokepoint pages share: create and edit through a service.

An edit is refused with 403 when the user may see the record but not change it
(it lies outside their sectors); a record they may not see is a 404 before that.
A stale edit (someone saved in between) is not saved: the form comes back with
the user's input, a conflict message, the values that differ, and the new
version, so saving again is a deliberate choice.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dialogue.forms import RegisterForm, add_service_errors
from dialogue.permissions import can_manage_sector
from dialogue.services.common import PermissionDeniedError, StaleVersionError
from dialogue.templatetags.workspace import join_names
from dialogue.views.history import EMPTY


def require_manage(user, record) -> None:
    if not can_manage_sector(user, record.sector):
        raise PermissionDenied(_("You can change the register only for your own sectors."))


def _display(form: RegisterForm, name: str, value) -> str:
    """A value as the form would show it; linked records only if they are among the choices
    (the user's visible records), so a conflict never names what the user may not see."""
    field = form.fields[name]
    if isinstance(field, forms.ModelMultipleChoiceField):
        ids = [getattr(item, "pk", item) for item in value]
        shown = [str(item) for item in field.queryset.filter(pk__in=ids)]
        hidden = len(ids) - len(shown)
        return join_names([*shown, *([_("(not shown)")] if hidden else [])]) or EMPTY
    if value in (None, ""):
        return EMPTY
    if isinstance(field, forms.ModelChoiceField):
        return str(value) if field.queryset.filter(pk=value.pk).exists() else _("(not shown)")
    if isinstance(field, forms.ChoiceField):
        labels = {str(key): label for key, label in field.choices}
        return str(labels.get(str(value), value))
    return str(value)


def conflicting_fields(form: RegisterForm, current) -> list[dict]:
    """The fields where the saved record now differs from what the user submitted."""
    rows = []
    for name in form.changed_data:
        if name == "version" or name not in form.cleaned_data:
            continue
        saved = getattr(current, name)
        if hasattr(saved, "all"):
            saved = list(saved.all())
        rows.append(
            {
                "label": form.fields[name].label,
                "saved": _display(form, name, saved),
                "yours": _display(form, name, form.cleaned_data[name]),
            }
        )
    return rows


def edit_record(
    request: HttpRequest,
    record,
    *,
    form_class: type[RegisterForm],
    update: Callable,
    template_name: str,
    context: dict,
    saved_message: str,
    url_for: Callable,
) -> HttpResponse:
    """GET shows the form; POST validates, then calls `update(record, changes, version)`."""
    require_manage(request.user, record)
    conflict = None
    if request.method == "POST":
        form = form_class(request.POST, instance=record, user=request.user)
        if form.is_valid():
            changes = form.service_changes()
            if not changes:
                messages.info(request, _("Nothing was changed."))
                return redirect(url_for(record))
            try:
                update(record, changes, form.cleaned_data.get("version"))
            except StaleVersionError as error:
                current = error.instance
                conflict = {
                    "yours": form.cleaned_data.get("version"),
                    "current": current.version,
                    "fields": conflicting_fields(form, current),
                }
                data = request.POST.copy()
                data["version"] = str(current.version)
                form = form_class(data, instance=record, user=request.user)
                form.is_valid()
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDeniedError as error:
                raise PermissionDenied(str(error)) from error
            else:
                messages.success(request, saved_message)
                return redirect(url_for(record))
    else:
        form = form_class(instance=record, user=request.user)
    return render(
        request,
        template_name,
        {**context, "form": form, "conflict": conflict, "record": record},
        status=409 if conflict else 200,
    )


def create_record(
    request: HttpRequest,
    *,
    form_class: type[RegisterForm],
    create: Callable,
    template_name: str,
    context: dict,
    initial: dict,
    saved_message: str,
    url_for: Callable,
) -> HttpResponse:
    if request.method == "POST":
        form = form_class(request.POST, user=request.user)
        if form.is_valid():
            try:
                record = create(form.service_values())
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDeniedError as error:
                raise PermissionDenied(str(error)) from error
            else:
                messages.success(request, saved_message)
                return redirect(url_for(record))
    else:
        form = form_class(initial=initial, user=request.user)
    return render(request, template_name, {**context, "form": form})


def change_status(
    request: HttpRequest,
    form: forms.Form,
    *,
    change: Callable[..., object],
    stale_message: str,
    back_to: str,
) -> HttpResponse:
    """Apply a status form through its service and come back with a message.

    `change(status=…, expected_version=…)` calls the record's transition service.
    """
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back_to)
    try:
        change(status=form.cleaned_data["status"], expected_version=form.cleaned_data["version"])
    except StaleVersionError:
        messages.error(request, stale_message)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDeniedError as error:
        raise PermissionDenied(str(error)) from error
    else:
        messages.success(request, _("The status has been changed."))
    return redirect(back_to)
