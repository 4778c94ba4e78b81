"""The status buttons of every record with a workflow."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogue.workflows import allowed_next


class WorkflowStatusForm(forms.Form):
    """Move a record to one of the statuses its workflow allows next, from the version read.

    Subclasses name the workflow, its choices, and the keyword that passes the record.
    """

    transitions: dict
    status_choices: type
    record_name: str

    status = forms.ChoiceField(label=_("New status"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        record = kwargs.pop(self.record_name)
        super().__init__(*args, **kwargs)
        allowed = allowed_next(self.transitions, record.status)
        self.fields["status"].choices = [
            (value, label) for value, label in self.status_choices.choices if value in allowed
        ]
        self.fields["version"].initial = record.version
