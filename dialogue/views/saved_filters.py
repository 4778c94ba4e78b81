"""Saving a list's filters under a name, and deleting a saved filter (the list pages show
them beside their filters)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dialogue.models import SavedFilter
from dialogue.services.saved_filters import saved_filter_delete, saved_filter_save
from dialogue.views.access import official_required

# The lists whose filters can be saved: every workspace list with a filter form.
SAVED_FILTER_LISTS = (
    "workspace:threat-list",
    "workspace:chokepoint-list",
    "workspace:dependency-list",
    "workspace:session-list",
    "workspace:action-list",
    "workspace:concern-list",
)


class SavedFilterForm(forms.Form):
    list_name = forms.ChoiceField(choices=[(name, name) for name in SAVED_FILTER_LISTS])
    name = forms.CharField(label=gettext_lazy("Name of the saved filter"), max_length=80)
    query = forms.CharField(required=False, max_length=1000)


@official_required
@require_POST
def saved_filter_create(request):
    form = SavedFilterForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        list_name = request.POST.get("list_name")
        return redirect(
            reverse(list_name if list_name in SAVED_FILTER_LISTS else "workspace:dashboard")
        )
    data = form.cleaned_data
    try:
        saved = saved_filter_save(
            user=request.user, list_name=data["list_name"], name=data["name"], query=data["query"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse(data['list_name'])}?{data['query']}")
    messages.success(request, _("The filter has been saved as “%(name)s”.") % {"name": saved.name})
    return redirect(f"{reverse(saved.list_name)}?{saved.query}")


@official_required
@require_POST
def saved_filter_delete_view(request, pk: int):
    saved = get_object_or_404(SavedFilter.objects.visible_to(request.user), pk=pk)
    saved_filter_delete(user=request.user, saved=saved)
    messages.success(
        request, _("The saved filter “%(name)s” has been deleted.") % {"name": saved.name}
    )
    return redirect(reverse(saved.list_name))
