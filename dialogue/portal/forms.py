"""Portal forms: they parse and check input; the services do the writing."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dialogue.enums import (
    ActionStatus,
    DesiredSupport,
    Language,
    Marking,
    NoticeFrequency,
    Role,
    SectorKind,
)
from dialogue.forms import SignInForm
from dialogue.forms.attachments import (
    attachments_field,
    attachments_help,
    check_attachment_count,
)
from dialogue.models import FollowUpAction, Sector, ThreatCategory, User
from dialogue.workflows import ACTION_TRANSITIONS, allowed_next

# --- helpers -----------------------------------------------------------------


def add_service_errors(form: forms.Form, error: ValidationError, field_map: dict) -> None:
    """Show a service's ValidationError on the form: known fields by name, the rest on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        name = field_map.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


class SubmissionKeyField(forms.UUIDField):
    """The hidden key that makes the same form sent twice act once (services/submissions.py)."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, **kwargs)


def new_submission_key() -> uuid.UUID:
    return uuid.uuid4()


# --- concerns ----------------------------------------------------------------


class SectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Sector) -> str:
        return obj.name


class ThreatCodeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ThreatCategory) -> str:
        return f"{obj.code} {obj.name}"


class ConcernForm(forms.Form):
    sector = SectorChoiceField(queryset=Sector.objects.none(), label=_("Sector"))
    category = ThreatCodeField(
        queryset=ThreatCategory.objects.none(),
        label=_("Threat code"),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, since when, and what it affects."),
    )
    desired_support = forms.ChoiceField(label=_("Desired support"), choices=DesiredSupport.choices)
    marking = forms.ChoiceField(
        label=_("Marking (TLP)"),
        choices=Marking.choices,
        initial=Marking.AMBER_STRICT,
        help_text=_(
            "TLP:AMBER+STRICT (the default): only your organization and the officials in charge "
            "of the sector. Another company never sees your concern, whatever the marking."
        ),
    )
    attachments = attachments_field()
    submission_key = SubmissionKeyField()

    def __init__(self, *args, user: User, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission_key", new_submission_key())
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()
        sectors = Sector.objects.visible_to(user).filter(kind=SectorKind.SECTOR)
        self.fields["sector"].queryset = sectors
        self.fields["category"].queryset = ThreatCategory.objects.visible_to(user).select_related(
            "parent"
        )
        own = list(
            sectors.filter(organizations=user.organization_id).values_list("pk", flat=True)[:1]
        )
        if own and "sector" not in self.initial:
            self.initial["sector"] = own[0]

    def clean_attachments(self):
        return check_attachment_count(self.cleaned_data["attachments"])

    def threat_codes(self) -> list[dict]:
        """The codes in taxonomy order, with both explanations, for the template's radio list."""
        selected = str(self["category"].value() or "")
        codes = []
        for category in self.fields["category"].queryset:
            codes.append(
                {
                    "category": category,
                    "is_family": category.parent_id is None,
                    "checked": str(category.pk) == selected,
                    "id": f"id_category_{category.pk}",
                }
            )
        return codes


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = attachments_field()
    submission_key = SubmissionKeyField()

    def __init__(self, *args, attached: int = 0, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission_key", new_submission_key())
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()
        self.attached = attached

    def clean_attachments(self):
        return check_attachment_count(self.cleaned_data["attachments"], self.attached)


class VersionForm(forms.Form):
    """The version the user saw, so that a change made meanwhile is not overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReferralAnswerForm(VersionForm):
    """Consent to a referral, or decline it: the button pressed says which."""

    answer = forms.ChoiceField(
        choices=[("consent", _("Consent")), ("decline", _("Decline"))],
        widget=forms.HiddenInput,
    )


class SupportFinderForm(forms.Form):
    """ "Which help fits my situation": a threat code (the sectors and size are the organization's)."""

    threat_code = forms.ChoiceField(label=_("Threat code"), required=False)

    def __init__(self, *args, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["threat_code"].choices = [
            ("", _("Any threat code")),
            *((c.code, f"{c.code} {c.name}") for c in codes),
        ]


# --- follow-up actions ---------------------------------------------------------


class ActionStatusForm(VersionForm):
    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you mark the action as done: describe what was done."),
    )

    def __init__(self, *args, action: FollowUpAction, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", action.version)
        super().__init__(*args, **kwargs)
        allowed = allowed_next(ACTION_TRANSITIONS, action.status)
        self.fields["status"].choices = [
            (value, label) for value, label in ActionStatus.choices if value in allowed
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ActionStatus.DONE and not cleaned.get("note", "").strip():
            self.add_error("note", _("Describe what was done before closing the action."))
        if cleaned.get("status") not in (None, ActionStatus.DONE) and cleaned.get("note"):
            self.add_error(
                "note", _("A note is recorded when you mark the action as done; leave it empty.")
            )
        return cleaned


# --- people --------------------------------------------------------------------


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    is_org_admin = forms.BooleanField(
        label=_("May invite and deactivate colleagues (portal admin)"), required=False
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation and of the portal"), choices=Language.choices
    )


class InvitationAcceptForm(forms.Form):
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    new_password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 8 characters; not only digits, not a common password, not like your "
            "e-mail address."
        ),
    )
    new_password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords differ."))
        return cleaned


class AccountForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the portal and of e-mails"), choices=Language.choices
    )
    notice_frequency = forms.ChoiceField(
        label=_("E-mails about new notices"),
        choices=NoticeFrequency.choices,
        widget=forms.RadioSelect,
        required=False,  # left out: unchanged
    )


# --- sign-in and password reset ----------------------------------------------------


class PortalAuthenticationForm(SignInForm):
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["username"].help_text = _(
            "If you joined by invitation, your user name is your e-mail address."
        )


class PortalPasswordResetForm(PasswordResetForm):
    """Django's reset form, for company users only, with the e-mail in the recipient's language."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.role == Role.COMPANY)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        context = {**context, "recipient": user, "site_url": settings.SITE_URL.rstrip("/")}
        with translation.override(user.language or settings.LANGUAGE_CODE):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )
