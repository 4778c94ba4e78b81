"""Concern referrals in the workspace: link foreign measures, propose referrals, record progress."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogue.enums import ReferralStatus
from dialogue.forms.status import WorkflowStatusForm
from dialogue.models import (
    Concern,
    ForeignMeasure,
    Referral,
    SupportOrganization,
    SupportScheme,
    User,
)
from dialogue.workflows import REFERRAL_TRANSITIONS


class ConcernMeasuresForm(forms.Form):
    foreign_measures = forms.ModelMultipleChoiceField(
        label=_("foreign measures behind the concern"),
        queryset=ForeignMeasure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, concern: Concern, user: User, linked: list[ForeignMeasure], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["foreign_measures"]
        field.queryset = ForeignMeasure.objects.visible_to(user).order_by(
            "-effective_on", "country_code", "pk"
        )
        field.initial = [m.pk for m in linked]
        field.label_from_instance = lambda m: f"{m.country_code} {m.title}"


class ReferralProposeForm(forms.Form):
    organizations = forms.ModelMultipleChoiceField(
        label=_("support organizations"),
        queryset=SupportOrganization.objects.none(),
        required=False,
    )
    schemes = forms.ModelMultipleChoiceField(
        label=_("support schemes and tools"),
        queryset=SupportScheme.objects.none(),
        required=False,
    )
    note = forms.CharField(
        label=_("note for the company"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this help fits. The company reads it before it consents."),
    )

    def __init__(self, *args, organizations, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = organizations
        self.fields["schemes"].queryset = schemes
        self.fields["schemes"].label_from_instance = lambda s: (
            f"{s.name}（{s.organization.abbreviation or s.organization.name}）"
        )

    def clean(self):
        data = super().clean()
        if not data.get("organizations") and not data.get("schemes"):
            raise forms.ValidationError(_("Choose at least one support organization or scheme."))
        return data


class ReferralStatusForm(WorkflowStatusForm):
    """What the official records; consent is the company's and is not offered here."""

    transitions, status_choices, record_name = (
        REFERRAL_TRANSITIONS,
        ReferralStatus,
        "referral",
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, referral=referral, **kwargs)
        allowed = [
            (value, label)
            for value, label in self.fields["status"].choices
            if value != ReferralStatus.CONSENTED
            and (value == ReferralStatus.DECLINED or referral.has_consent)
        ]
        self.fields["status"].choices = allowed
        self.fields["note"].initial = referral.note
