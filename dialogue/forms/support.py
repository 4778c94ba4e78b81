"""The secretariat's forms for the support catalogue (organizations and schemes)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogue.enums import DesiredSupport, SizeClass
from dialogue.models import Sector, SupportOrganization, SupportScheme, ThreatCategory

ENTRY_FIELDS = [
    "name_ja",
    "name_en",
    "description_ja",
    "description_en",
    "threat_categories",
    "sectors",
    "company_sizes",
    "contact",
    "is_active",
]


class SupportEntryForm(forms.ModelForm):
    """Parses and validates; the view hands `changes()` to the service, which saves."""

    company_sizes = forms.MultipleChoiceField(
        label=_("company sizes"),
        choices=SizeClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: for every size."),
    )
    threat_categories = forms.ModelMultipleChoiceField(
        label=_("threat codes"),
        queryset=ThreatCategory.objects.order_by("sort_order", "code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("sectors"),
        queryset=Sector.objects.order_by("sort_order", "code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: for every sector."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["threat_categories"].label_from_instance = lambda c: f"{c.code} {c.name}"
        self.fields["sectors"].label_from_instance = lambda s: s.name
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self):
        # The service validates the model (and saves); the form only parses.
        pass

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class SupportOrganizationForm(SupportEntryForm):
    class Meta:
        model = SupportOrganization
        fields = ["abbreviation", *ENTRY_FIELDS]


class SupportSchemeForm(SupportEntryForm):
    support_kinds = forms.MultipleChoiceField(
        label=_("kinds of support"),
        choices=DesiredSupport.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SupportScheme
        fields = ["organization", *ENTRY_FIELDS, "support_kinds"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = SupportOrganization.objects.order_by("name_ja")


class CatalogueFilterForm(forms.Form):
    """The guidance's and the catalogue's filter: a threat code (and, for officials, a size)."""

    threat_code = forms.ChoiceField(label=_("threat code"), required=False)
    size_class = forms.ChoiceField(
        label=_("company size"),
        required=False,
        choices=[("", _("Any size")), *SizeClass.choices],
    )
    q = forms.CharField(label=_("words"), required=False, max_length=200)

    def __init__(self, *args, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["threat_code"].choices = [
            ("", _("Any threat code")),
            *((c.code, f"{c.code} {c.name}") for c in codes),
        ]
