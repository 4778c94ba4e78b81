"""The dependency register's forms: one figure, and a file of figures to import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogue.countries import country_choices
from dialogue.enums import Marking
from dialogue.forms.choices import manageable_sectors
from dialogue.forms.fields import (
    ChokepointMultipleChoiceField,
    PersonMultipleChoiceField,
    SectorChoiceField,
    ThreatMultipleChoiceField,
)
from dialogue.forms.registers import RegisterForm
from dialogue.models import ChokepointTechnology, Concern, Dependency, Threat, User
from dialogue.services.dependencies import DEPENDENCY_UPDATABLE
from dialogue.validators import normalize_hs_code


class ConcernMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Concern) -> str:
        return f"#{obj.pk} {obj.title}"


class DependencyForm(RegisterForm):
    updatable = DEPENDENCY_UPDATABLE
    country = forms.ChoiceField(label=_("supplier country"))

    class Meta:
        model = Dependency
        fields = [
            "product",
            "hs_code",
            "sector",
            "stage",
            "country",
            "share_pct",
            "basis",
            "year",
            "source",
            "source_passage",
            "precision",
            "threats",
            "concerns",
            "chokepoints",
            "marking",
            "named_users",
        ]
        field_classes = {
            "sector": SectorChoiceField,
            "threats": ThreatMultipleChoiceField,
            "concerns": ConcernMultipleChoiceField,
            "chokepoints": ChokepointMultipleChoiceField,
            "named_users": PersonMultipleChoiceField,
        }
        widgets = {
            "source_passage": forms.Textarea(attrs={"rows": 3}),
            "threats": forms.CheckboxSelectMultiple,
            "concerns": forms.CheckboxSelectMultiple,
            "chokepoints": forms.CheckboxSelectMultiple,
            "named_users": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["country"].choices = [("", "---------"), *country_choices()]
        # "2811.11" is normalized in clean_hs_code; the model validates the result.
        self.fields["hs_code"].validators = []
        sectors = manageable_sectors(user).values("pk")
        self.fields["threats"].queryset = (
            Threat.objects.visible_to(user)
            .filter(sector__in=sectors)
            .select_related("sector", "category")
            .order_by("category__sort_order", "title")
        )
        self.fields["concerns"].queryset = (
            Concern.objects.visible_to(user).filter(sector__in=sectors).order_by("-pk")
        )
        self.fields["chokepoints"].queryset = (
            ChokepointTechnology.objects.visible_to(user)
            .filter(sector__in=sectors)
            .select_related("sector")
            .order_by("name")
        )

    def clean_hs_code(self):
        return normalize_hs_code(self.cleaned_data.get("hs_code", ""))


class DependencyImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "Trade statistics by HS code × country × year, or a product × country × share table."
        ),
    )
    marking = forms.ChoiceField(
        label=_("marking of new figures"),
        choices=[(m, label) for m, label in Marking.choices if m != Marking.RED],
        initial=Marking.AMBER,
    )


class DependencyImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    marking = forms.ChoiceField(
        widget=forms.HiddenInput,
        choices=[(m, label) for m, label in Marking.choices if m != Marking.RED],
    )
