"""The threat register's forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dialogue.enums import ThreatStatus
from dialogue.forms.choices import ONE_TO_FIVE_CHOICES, manageable_sectors
from dialogue.forms.fields import PersonMultipleChoiceField, SectorChoiceField
from dialogue.forms.registers import RegisterForm
from dialogue.forms.status import WorkflowStatusForm
from dialogue.models import (
    ChokepointTechnology,
    Concern,
    DialogueSession,
    Threat,
    ThreatCategory,
    User,
)
from dialogue.selectors.threats import similar_threats
from dialogue.services.threats import THREAT_UPDATABLE
from dialogue.workflows import THREAT_TRANSITIONS


class ThreatForm(RegisterForm):
    updatable = THREAT_UPDATABLE

    category = forms.ModelChoiceField(
        label=_("threat code"),
        queryset=ThreatCategory.objects.none(),
        to_field_name="code",
        help_text=_("A code such as 1-2 (people: retirees) or 2-1 (supply disruption)."),
    )
    likelihood = forms.TypedChoiceField(
        label=_("likelihood"), choices=ONE_TO_FIVE_CHOICES, coerce=int
    )
    impact = forms.TypedChoiceField(label=_("impact"), choices=ONE_TO_FIVE_CHOICES, coerce=int)
    # Shown as a checkbox once similar threats were found (see clean()).
    not_a_duplicate = forms.BooleanField(
        label=_("This is a different threat: add it anyway"),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Threat
        fields = [
            "title",
            "description",
            "sector",
            "category",
            "likelihood",
            "impact",
            "marking",
            "source_session",
            "source_concern",
            "chokepoints",
            "named_users",
        ]
        field_classes = {
            "sector": SectorChoiceField,
            "named_users": PersonMultipleChoiceField,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "chokepoints": forms.CheckboxSelectMultiple,
            "named_users": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["category"].queryset = ThreatCategory.objects.visible_to(user).filter(
            parent__isnull=False
        )
        if self.instance.pk:
            # The field is keyed by code (1-2), not by id.
            self.initial["category"] = self.instance.category.code
        sectors = manageable_sectors(user).values("pk")
        self.limit_foreign_key(
            "source_session",
            DialogueSession.objects.visible_to(user)
            .filter(pk__in=DialogueSession.objects.filter(sectors__in=sectors).values("pk"))
            .order_by("-held_on", "-pk"),
        )
        self.limit_foreign_key(
            "source_concern",
            Concern.objects.visible_to(user).filter(sector__in=sectors).order_by("-created_at"),
        )
        self.fields["chokepoints"].queryset = (
            ChokepointTechnology.objects.visible_to(user)
            .filter(sector__in=sectors)
            .order_by("sector__sort_order", "name")
        )

    def clean(self):
        cleaned = super().clean()
        self.similar = []
        sector, title = cleaned.get("sector"), cleaned.get("title")
        if self.instance.pk is None and sector and title and not cleaned.get("not_a_duplicate"):
            self.similar = similar_threats(self.user, sector=sector, title=title)
            if self.similar:
                self.fields["not_a_duplicate"].widget = forms.CheckboxInput()
                raise ValidationError(
                    _(
                        "The register already holds similar threats (listed above the "
                        "form): check them first, or tick “This is a different threat” "
                        "and save again."
                    ),
                    code="near_duplicate",
                )
        return cleaned


class ThreatStatusForm(WorkflowStatusForm):
    transitions, status_choices, record_name = THREAT_TRANSITIONS, ThreatStatus, "threat"
