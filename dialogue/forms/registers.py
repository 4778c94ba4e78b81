"""What the threat and chokepoint register forms share."""

from __future__ import annotations

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogue.enums import Marking
from dialogue.forms.choices import manageable_sectors
from dialogue.models import User


class RegisterForm(forms.ModelForm):
    """Shared by the threat and chokepoint forms: user-scoped choices, version, RED rule.

    `hidden_links` keeps links the editing user cannot see: a many-to-many value
    that is not among the user's choices is added back to what they submit, and a
    foreign key to a record they cannot see is shown as locked and left as it is.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    updatable: set[str] = set()

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["sector"].queryset = manageable_sectors(user)
        self.fields["named_users"].queryset = (
            User.objects.visible_to(user).filter(is_active=True).order_by("last_name", "username")
        )
        if self.instance.pk:
            # An edit must say which version it started from, or it could overwrite blindly.
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version

    def limit_foreign_key(self, name: str, queryset) -> None:
        field = self.fields[name]
        field.queryset = queryset
        field.empty_label = _("(none)")
        current = getattr(self.instance, f"{name}_id", None)
        if current is not None and not queryset.filter(pk=current).exists():
            field.disabled = True
            field.help_text = _("Linked to a record you cannot see; it stays as it is.")

    def hidden_links(self, name: str) -> list:
        """Linked ids that were not offered to this user (kept on save)."""
        if not self.instance.pk:
            return []
        offered = self.fields[name].queryset.values("pk")
        return list(
            getattr(self.instance, name).exclude(pk__in=offered).values_list("pk", flat=True)
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("marking") == Marking.RED:
            # A RED item is visible only to the people named on it: never lock its author out.
            named = list(cleaned.get("named_users") or [])
            if self.user not in named:
                named.append(self.user)
            cleaned["named_users"] = named
        return cleaned

    def _post_clean(self):
        # Model validation sets the submitted values on the instance: do it on a copy, so
        # the record the view hands to the service (and its permission check) is unchanged.
        original = self.instance
        self.instance = copy.copy(original)
        try:
            super()._post_clean()
        finally:
            self.instance = original

    def service_values(self) -> dict:
        """cleaned_data for a create service (model fields only, many-to-many as lists)."""
        values = {}
        for name in self._meta.fields:
            if name in self.cleaned_data:
                values[name] = self._plain(name)
        return values

    def service_changes(self) -> dict:
        """Only the fields the user changed, for an update service."""
        changes = {
            name: self._plain(name)
            for name in self.changed_data
            if name in self.updatable and not self.fields[name].disabled
        }
        if self.cleaned_data.get("marking") == Marking.RED:
            # clean() may have named the author; send the names even if the user did not touch them.
            changes["named_users"] = self._plain("named_users")
        return changes

    def _plain(self, name: str):
        value = self.cleaned_data[name]
        if isinstance(self.fields[name], forms.ModelMultipleChoiceField):
            return [*value, *self.hidden_links(name)]
        return value
