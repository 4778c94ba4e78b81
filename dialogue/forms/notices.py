"""The notice form of the workspace: choices limited to what the author may manage or see,
and, for companies, to what companies may be shown."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogue.enums import Marking, NoticeAudience, NoticeKind, SizeClass
from dialogue.forms.choices import manageable_sectors
from dialogue.forms.fields import DateInput
from dialogue.models import (
    BestPractice,
    ChokepointTechnology,
    ForeignMeasure,
    Notice,
    Sector,
    ThreatCategory,
    User,
)

# RED items are for named people only; a notice names nobody.
NOTICE_MARKINGS = [(m.value, m.label) for m in Marking if m != Marking.RED]
LINK_FIELDS = ("sectors", "threat_categories", "foreign_measures", "best_practices", "chokepoints")


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices)
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    body_ja = forms.CharField(
        label=_("Text (Japanese)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown, as in minutes."),
    )
    body_en = forms.CharField(
        label=_("Text (English)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown, as in minutes."),
    )
    audience = forms.ChoiceField(
        label=_("Audience"), choices=NoticeAudience.choices, initial=NoticeAudience.COMPANIES
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"), queryset=Sector.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    size_classes = forms.MultipleChoiceField(
        label=_("Company sizes"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    threat_categories = forms.ModelMultipleChoiceField(
        label=_("Threat codes"),
        queryset=ThreatCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Leave empty for every company of the sectors and sizes; otherwise only companies "
            "whose sectors face one of these codes."
        ),
    )
    foreign_measures = forms.ModelMultipleChoiceField(
        label=_("Foreign measures"),
        queryset=ForeignMeasure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    best_practices = forms.ModelMultipleChoiceField(
        label=_("Best practices"),
        queryset=BestPractice.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    chokepoints = forms.ModelMultipleChoiceField(
        label=_("Chokepoint technologies"),
        queryset=ChokepointTechnology.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Companies are shown only TLP:CLEAR and TLP:GREEN ones."),
    )
    marking = forms.ChoiceField(
        label=_("Marking"),
        choices=NOTICE_MARKINGS,
        initial=Marking.GREEN,
        help_text=_("A notice to companies is TLP:CLEAR or TLP:GREEN."),
    )
    publish_on = forms.DateField(
        label=_("Publication date"),
        widget=DateInput,
        help_text=_("A published notice appears to companies from this date."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, user: User, notice: Notice | None = None, **kwargs):
        if notice is not None and "initial" not in kwargs:
            kwargs["initial"] = notice_initial(notice)
        super().__init__(*args, **kwargs)
        self.notice = notice
        self.fields["sectors"].queryset = manageable_sectors(user)
        # Evaluated here, not at import: a size class added to SizeClass is offered at once.
        self.fields["size_classes"].choices = SizeClass.choices
        self.fields["size_classes"].initial = self.fields["size_classes"].initial or list(
            SizeClass.values
        )
        self.fields["threat_categories"].queryset = ThreatCategory.objects.visible_to(
            user
        ).order_by("sort_order", "code")
        self.fields["foreign_measures"].queryset = ForeignMeasure.objects.visible_to(user).order_by(
            "-effective_on", "id"
        )
        self.fields["best_practices"].queryset = BestPractice.objects.visible_to(user)
        self.fields["chokepoints"].queryset = (
            ChokepointTechnology.objects.visible_to(user)
            .select_related("sector")
            .order_by("sector__sort_order", "name")
        )
        if notice is not None:
            self.fields["version"].required = True
        else:
            self.fields["publish_on"].initial = timezone.localdate()

    def service_values(self) -> dict:
        values = dict(self.cleaned_data)
        values.pop("version", None)
        for name in LINK_FIELDS:
            values[name] = [*values[name], *self.hidden_links(name)]
        return values

    def hidden_links(self, name: str) -> list:
        """Linked records this author was not offered (another sector's): kept on save."""
        if self.notice is None:
            return []
        offered = self.fields[name].queryset.values("pk")
        return list(getattr(self.notice, name).exclude(pk__in=offered))

    def service_changes(self) -> dict:
        values = self.service_values()
        return {name: values[name] for name in self.changed_data if name in values}


def notice_initial(notice: Notice) -> dict:
    initial = {
        name: getattr(notice, name)
        for name in (
            "kind",
            "title_ja",
            "title_en",
            "body_ja",
            "body_en",
            "audience",
            "marking",
            "publish_on",
            "version",
        )
    }
    initial["size_classes"] = notice.size_class_codes
    for name in LINK_FIELDS:
        initial[name] = list(getattr(notice, name).values_list("pk", flat=True))
    return initial
