"""The chokepoint register's form."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from dialogue.forms.choices import manageable_sectors
from dialogue.forms.fields import DateInput, PersonMultipleChoiceField, SectorChoiceField
from dialogue.forms.registers import RegisterForm
from dialogue.models import ChokepointTechnology, Organization, User
from dialogue.services.chokepoints import CHOKEPOINT_UPDATABLE


class ChokepointForm(RegisterForm):
    updatable = CHOKEPOINT_UPDATABLE

    class Meta:
        model = ChokepointTechnology
        fields = [
            "name",
            "description",
            "sector",
            "stage",
            "holders",
            "holder_organizations",
            "world_share_pct",
            "outflow_concern",
            "like_minded_holders",
            "process_stage",
            "survey",
            "support_measures",
            "review_on",
            "marking",
            "named_users",
        ]
        field_classes = {
            "sector": SectorChoiceField,
            "named_users": PersonMultipleChoiceField,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "holders": forms.Textarea(attrs={"rows": 3}),
            "support_measures": forms.Textarea(attrs={"rows": 3}),
            "review_on": DateInput,
            "holder_organizations": forms.CheckboxSelectMultiple,
            "named_users": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        sectors = manageable_sectors(user).values("pk")
        self.fields["holder_organizations"].queryset = (
            Organization.objects.visible_to(user)
            .filter(Q(sectors__in=sectors) | Q(sectors__parent__in=sectors))
            .distinct()
            .order_by("name")
        )
