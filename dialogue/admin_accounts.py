"""Admin for officials: invite company users, revoke invitations, deactivate people.

dialogue/admin.py registers every model admin, InvitationAdmin included, and puts the
deactivation action on its UserAdmin. Every change goes through the services, which
check permission themselves.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dialogue.admin_lookups import VisibleLookupsMixin
from dialogue.models import Invitation
from dialogue.permissions import is_official
from dialogue.services.accounts import users_deactivate
from dialogue.services.common import PermissionDeniedError
from dialogue.services.invitations import invitation_check, invitation_create, invitation_revoke


@admin.action(description=_("Deactivate the selected people and end their sessions"))
def deactivate_users(modeladmin, request, queryset):
    done, refused = users_deactivate(actor=request.user, users=queryset)
    if done:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d person deactivated; their sessions and API token are gone.",
                "%(count)d people deactivated; their sessions and API tokens are gone.",
                len(done),
            )
            % {"count": len(done)},
            messages.SUCCESS,
        )
    if refused:
        names = ", ".join(person.get_username() for person in refused)
        modeladmin.message_user(
            request,
            _("Not deactivated (not allowed): %(names)s") % {"names": names},
            messages.WARNING,
        )


@admin.action(description=_("Withdraw the selected invitations"))
def revoke_invitations(modeladmin, request, queryset):
    for invitation in queryset:
        invitation_revoke(actor=request.user, invitation=invitation)
    modeladmin.message_user(request, _("The selected invitations no longer work."))


def _official_staff(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff and is_official(user)


class InvitationAddForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "organization", "is_org_admin", "language"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email") and cleaned.get("organization"):
            try:
                invitation_check(
                    inviter=self.request_user,
                    organization=cleaned["organization"],
                    email=cleaned["email"],
                )
            except PermissionDeniedError as error:
                raise ValidationError(str(error)) from error
        return cleaned


class InvitationAdmin(VisibleLookupsMixin, admin.ModelAdmin):
    """Adding an invitation sends the e-mail; the link is never shown here or stored."""

    list_display = [
        "email",
        "organization",
        "is_org_admin",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["is_org_admin", "language", "accepted_at", "revoked_at"]
    search_fields = ["email", "organization__name"]
    list_select_related = ["organization", "invited_by"]
    autocomplete_fields = ["organization"]
    actions = [revoke_invitations]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = InvitationAddForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "organization", "is_org_admin", "language"]
        return [
            "email",
            "organization",
            "is_org_admin",
            "language",
            "invited_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "accepted_user",
            "revoked_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_module_permission(self, request):
        return _official_staff(request)

    def has_view_permission(self, request, obj=None):
        return _official_staff(request)

    def has_add_permission(self, request):
        return _official_staff(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        invitation, _link = invitation_create(
            inviter=request.user,
            organization=obj.organization,
            email=obj.email,
            is_org_admin=obj.is_org_admin,
            language=obj.language,
        )
        obj.pk = invitation.pk
        obj.token_hash = invitation.token_hash
        obj.invited_by = invitation.invited_by
        obj.expires_at = invitation.expires_at
        messages.info(
            request,
            _("The invitation e-mail has been sent to %(email)s.") % {"email": invitation.email},
        )
