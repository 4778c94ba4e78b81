from django import forms
from django.utils.translation import gettext_lazy as _

from dialogue.enums import Marking

IMPORT_MARKINGS = [(m, label) for m, label in Marking.choices if m != Marking.RED]


class TrackerImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("One row per record under a header row; see the columns below."),
    )
    marking = forms.ChoiceField(
        label=_("marking of new records"), choices=IMPORT_MARKINGS, initial=Marking.AMBER
    )


class TrackerImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    marking = forms.ChoiceField(widget=forms.HiddenInput, choices=IMPORT_MARKINGS)
