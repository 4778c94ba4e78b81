"""The action tracker's forms: a new action, an edit, its status, and a status for many."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogue.enums import ActionStatus, Marking, PolicyPillar, Priority
from dialogue.forms.choices import manageable_sectors, official_choices
from dialogue.forms.fields import (
    DateInput,
    PersonChoiceField,
    PersonMultipleChoiceField,
    SectorChoiceField,
)
from dialogue.forms.registers import RegisterForm
from dialogue.forms.status import WorkflowStatusForm
from dialogue.models import Concern, DialogueSession, FollowUpAction, Sector, Threat, User
from dialogue.services.actions import ACTION_UPDATABLE
from dialogue.workflows import ACTION_TRANSITIONS


class ActionStatusForm(WorkflowStatusForm):
    """Move an action to a status its workflow allows; closing as done needs a note."""

    transitions, status_choices, record_name = ACTION_TRANSITIONS, ActionStatus, "action"
    completion_note = forms.CharField(
        label=_("completion note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to close the action as done: what was done."),
    )
    field_order = ["status", "completion_note", "version"]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == ActionStatus.DONE
            and not cleaned.get("completion_note", "").strip()
        ):
            self.add_error(
                "completion_note", _("Describe what was done before closing the action.")
            )
        return cleaned


class ActionBulkStatusForm(forms.Form):
    """Change the status of the selected actions, all or nothing."""

    selected = forms.TypedMultipleChoiceField(label=_("selected actions"), coerce=int, choices=())
    status = forms.ChoiceField(label=_("New status"), choices=ActionStatus.choices)
    completion_note = forms.CharField(
        label=_("completion note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when closing as done; the same note is recorded on each action."),
    )

    def __init__(self, *args, action_ids=(), **kwargs):
        # Below the list's filters, which have their own status box: ids of its own.
        kwargs.setdefault("auto_id", "id_bulk_%s")
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = [(pk, pk) for pk in action_ids]
        self.fields["selected"].error_messages["required"] = _("Select at least one action.")

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == ActionStatus.DONE
            and not cleaned.get("completion_note", "").strip()
        ):
            self.add_error(
                "completion_note", _("Describe what was done before closing the actions.")
            )
        return cleaned


class ActionForm(forms.Form):
    """A new follow-up action, e.g. from a concern or a threat (prefilled)."""

    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    sector = SectorChoiceField(label=_("sector"), queryset=Sector.objects.none())
    owner = PersonChoiceField(label=_("owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("due date"), widget=DateInput)
    pillar = forms.ChoiceField(label=_("policy pillar"), choices=PolicyPillar.choices)
    priority = forms.ChoiceField(
        label=_("priority"), choices=Priority.choices, initial=Priority.MEDIUM
    )
    marking = forms.ChoiceField(label=_("marking"), choices=Marking.choices, initial=Marking.AMBER)
    session = forms.ModelChoiceField(
        label=_("source session"), queryset=DialogueSession.objects.none(), required=False
    )
    threat = forms.ModelChoiceField(
        label=_("source threat"), queryset=Threat.objects.none(), required=False
    )
    concern = forms.ModelChoiceField(
        label=_("source concern"), queryset=Concern.objects.none(), required=False
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        sectors = manageable_sectors(user)
        self.fields["sector"].queryset = sectors
        self.fields["owner"].queryset = official_choices(user)
        self.fields["session"].queryset = DialogueSession.objects.visible_to(user).order_by(
            "-held_on", "-pk"
        )
        self.fields["threat"].queryset = (
            Threat.objects.visible_to(user)
            .filter(sector__in=sectors.values("pk"))
            .order_by("title")
        )
        self.fields["concern"].queryset = (
            Concern.objects.visible_to(user)
            .filter(sector__in=sectors.values("pk"))
            .order_by("-created_at")
        )
        for name in ("session", "threat", "concern"):
            self.fields[name].empty_label = _("(none)")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("marking") == Marking.RED:
            cleaned["named_users"] = [self.user]
        return cleaned


class ActionEditForm(RegisterForm):
    """An existing action: what was agreed, who carries it out and by when (its status has
    its own form). Sources the editor cannot see stay as they are."""

    updatable = ACTION_UPDATABLE

    class Meta:
        model = FollowUpAction
        fields = [
            "title",
            "description",
            "sector",
            "owner",
            "due_on",
            "pillar",
            "priority",
            "marking",
            "session",
            "threat",
            "concern",
            "named_users",
        ]
        field_classes = {
            "sector": SectorChoiceField,
            "owner": PersonChoiceField,
            "named_users": PersonMultipleChoiceField,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "due_on": DateInput,
            "named_users": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        sectors = manageable_sectors(user).values("pk")
        # The officials one may assign, and the current owner (a company user, say) kept
        # as a choice when the editor may see them.
        self.fields["owner"].queryset = (
            User.objects.visible_to(user)
            .filter(Q(pk__in=official_choices(user).values("pk")) | Q(pk=self.instance.owner_id))
            .order_by("last_name", "first_name", "username")
        )
        self.limit_foreign_key(
            "session",
            DialogueSession.objects.visible_to(user)
            .filter(pk__in=DialogueSession.objects.filter(sectors__in=sectors).values("pk"))
            .order_by("-held_on", "-pk"),
        )
        self.limit_foreign_key(
            "threat",
            Threat.objects.visible_to(user).filter(sector__in=sectors).order_by("title"),
        )
        self.limit_foreign_key(
            "concern",
            Concern.objects.visible_to(user).filter(sector__in=sectors).order_by("-created_at"),
        )
