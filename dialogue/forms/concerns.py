"""The concern handling forms of the workspace: assign, answer, status, link a threat."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogue.enums import ConcernStatus
from dialogue.forms.attachments import (
    attachments_field,
    attachments_help,
    check_attachment_count,
)
from dialogue.forms.choices import official_choices
from dialogue.forms.fields import PersonChoiceField
from dialogue.forms.status import WorkflowStatusForm
from dialogue.models import Concern, Threat, User
from dialogue.workflows import CONCERN_TRANSITIONS


class ConcernAssignForm(forms.Form):
    assigned_to = PersonChoiceField(
        label=_("assigned official"), queryset=User.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, concern: Concern, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = official_choices(user, [concern.sector])
        self.fields["assigned_to"].empty_label = _("(nobody)")
        self.fields["assigned_to"].initial = concern.assigned_to_id
        self.fields["version"].initial = concern.version


class ConcernMessageForm(forms.Form):
    VISIBILITY_CHOICES = [
        ("reply", _("Reply to the company (visible to the company)")),
        ("internal", _("Internal note (officials only, never shown to the company)")),
    ]

    body = forms.CharField(label=_("message"), widget=forms.Textarea(attrs={"rows": 5}))
    visibility = forms.ChoiceField(
        label=_("visible to"),
        choices=VISIBILITY_CHOICES,
        widget=forms.RadioSelect,
        initial="reply",
    )
    attachments = attachments_field()

    def __init__(self, *args, attached: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()
        self.attached = attached

    def clean_attachments(self):
        return check_attachment_count(self.cleaned_data["attachments"], self.attached)


class ConcernStatusForm(WorkflowStatusForm):
    transitions, status_choices, record_name = CONCERN_TRANSITIONS, ConcernStatus, "concern"


class ConcernLinkThreatForm(forms.Form):
    threat = forms.ModelChoiceField(label=_("threat"), queryset=Threat.objects.none())

    def __init__(self, *args, concern: Concern, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["threat"].queryset = (
            Threat.objects.visible_to(user)
            .filter(sector=concern.sector)
            .select_related("category")
            .order_by("category__sort_order", "title")
        )
        self.fields["threat"].label_from_instance = lambda t: f"{t.category.code} {t.title}"
