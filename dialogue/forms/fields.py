"""Form fields and widgets: how people, sectors and records are named in choices."""

from __future__ import annotations

from django import forms

from dialogue.models import ChokepointTechnology, Organization, Sector, Threat, User
from dialogue.templatetags.workspace import in_parens, person_name


class SectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Sector) -> str:
        return obj.name


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{person_name(obj)}{in_parens(obj.get_role_display())}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return person_name(obj)


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


class SectorMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Sector) -> str:
        return obj.name


class ThreatMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Threat) -> str:
        return f"{obj.category.code} {obj.title}{in_parens(obj.sector.name)}"


class ChokepointMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ChokepointTechnology) -> str:
        return f"{obj.name}{in_parens(obj.sector.name)}"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
