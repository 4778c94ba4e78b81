"""The session form: the session itself and its tables of rows, and its status buttons."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dialogue.enums import AgendaTopic, Marking, PolicyPillar, SessionFormat, SessionStatus
from dialogue.forms.choices import (
    BLANK_CHOICE,
    ONE_TO_FIVE_CHOICES,
    manageable_sectors,
    official_choices,
    threat_code_choices,
)
from dialogue.forms.fields import (
    ChokepointMultipleChoiceField,
    DateInput,
    OrganizationChoiceField,
    PersonChoiceField,
    SectorChoiceField,
    SectorMultipleChoiceField,
    ThreatMultipleChoiceField,
)
from dialogue.forms.status import WorkflowStatusForm
from dialogue.models import (
    AgendaItem,
    ChokepointTechnology,
    Dependency,
    DialogueSession,
    Forum,
    Organization,
    Sector,
    Threat,
    User,
)
from dialogue.templatetags.workspace import in_parens
from dialogue.workflows import SESSION_TRANSITIONS

# Each table starts with one empty row; "add a row" (static/dialogue/js/formset.js)
# adds more. Without JavaScript a saved session can be edited to add further rows.
EMPTY_ROWS = 1


class SessionForm(forms.Form):
    """The session itself; its rows (participants, agenda, threats, actions) are formsets."""

    title = forms.CharField(label=_("title"), max_length=200)
    sectors = SectorMultipleChoiceField(
        label=_("sectors"),
        queryset=Sector.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional for an international session under a forum."),
    )
    forum = forms.ModelChoiceField(
        label=_("international forum"),
        queryset=Forum.objects.none(),
        required=False,
        help_text=_("International sessions belong to a forum."),
    )
    held_on = forms.DateField(label=_("date"), widget=DateInput)
    format = forms.ChoiceField(label=_("format"), choices=SessionFormat.choices)
    marking = forms.ChoiceField(label=_("marking"), choices=Marking.choices, initial=Marking.AMBER)
    minutes = forms.CharField(
        label=_("minutes (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: # headings, - lists, **bold**, [links](https://…). No HTML."),
    )
    linked_threats = ThreatMultipleChoiceField(
        label=_("existing threats identified in this session"),
        queryset=Threat.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Linking a threat records this session as its source."),
    )
    chokepoints = ChokepointMultipleChoiceField(
        label=_("chokepoints discussed"),
        queryset=ChokepointTechnology.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    SCALAR_FIELDS = ("title", "held_on", "format", "forum", "marking", "minutes")
    # The participating organizations follow the participants (services.session_record).
    M2M_FIELDS = ("sectors", "chokepoints")

    def __init__(self, *args, user: User, session: DialogueSession | None = None, **kwargs):
        if session is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(session, name) for name in self.SCALAR_FIELDS},
                "sectors": list(session.sectors.all()),
                "chokepoints": list(session.chokepoints.all()),
                "linked_threats": list(
                    Threat.objects.visible_to(user).filter(source_session=session)
                ),
                "version": session.version,
            }
        super().__init__(*args, **kwargs)
        self.user = user
        self.session = session
        sectors = manageable_sectors(user)
        self.fields["sectors"].queryset = sectors
        self.fields["forum"].queryset = Forum.objects.visible_to(user).order_by(
            "sort_order", "code"
        )
        sector_ids = sectors.values("pk")
        threats = Threat.objects.visible_to(user).filter(sector__in=sector_ids)
        # A threat can have one source session: offer those without one (or this one's).
        free = Q(source_session__isnull=True)
        if session is not None:
            free |= Q(source_session=session)
        self.fields["linked_threats"].queryset = (
            threats.filter(free)
            .select_related("sector", "category")
            .order_by("sector__sort_order", "category__sort_order", "title")
        )
        self.fields["chokepoints"].queryset = (
            ChokepointTechnology.objects.visible_to(user)
            .filter(sector__in=sector_ids)
            .select_related("sector")
            .order_by("sector__sort_order", "name")
        )
        if session is not None:
            self.fields["version"].required = True

    def clean(self):
        cleaned = super().clean()
        forum, sectors = cleaned.get("forum"), cleaned.get("sectors")
        if cleaned.get("format") == SessionFormat.INTERNATIONAL and forum is None:
            self.add_error("forum", _("An international session belongs to a forum: choose one."))
        elif forum is None and "sectors" in cleaned and not sectors:
            self.add_error("sectors", _("Choose at least one sector."))
        return cleaned

    def changes(self) -> dict:
        """The fields an update service should set (only those that changed)."""
        session = self.session
        changes = {}
        for name in self.SCALAR_FIELDS:
            if self.cleaned_data[name] != getattr(session, name):
                changes[name] = self.cleaned_data[name]
        for name in self.M2M_FIELDS:
            new = {obj.pk for obj in self.cleaned_data[name]}
            hidden = self._hidden_ids(name)
            if new | hidden != set(getattr(session, name).values_list("pk", flat=True)):
                changes[name] = [*self.cleaned_data[name], *hidden]
        return changes

    def _hidden_ids(self, name: str) -> set:
        """Links the user was not offered (not visible or not manageable): kept as they are."""
        if self.session is None:
            return set()
        offered = self.fields[name].queryset.values("pk")
        return set(getattr(self.session, name).exclude(pk__in=offered).values_list("pk", flat=True))


class ParticipantForm(forms.Form):
    section = _("Participants")  # names the row in the error summary
    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=100)
    organization = OrganizationChoiceField(
        label=_("organization"), queryset=Organization.objects.none(), required=False
    )
    affiliation = forms.CharField(label=_("affiliation"), max_length=200, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.visible_to(user).order_by(
            "name"
        )
        self.fields["organization"].empty_label = _("(none: officials and others)")
        # select-search.js puts a filter box above the list (the label is its name).
        self.fields["organization"].widget.attrs["data-search"] = _("Filter organizations")


def agenda_link_choices(user: User) -> dict[str, list]:
    """The threats, chokepoints and dependencies an agenda item may link, read once for
    every row."""
    threats = (
        Threat.objects.visible_to(user)
        .select_related("sector", "category")
        .order_by("sector__sort_order", "category__sort_order", "title")
    )
    chokepoints = (
        ChokepointTechnology.objects.visible_to(user)
        .select_related("sector")
        .order_by("sector__sort_order", "name")
    )
    dependencies = Dependency.objects.visible_to(user).select_related("sector")
    return {
        "threat": [
            (t.pk, f"{t.category.code} {t.title}{in_parens(t.sector.name)}") for t in threats
        ],
        "chokepoint": [(c.pk, f"{c.name}{in_parens(c.sector.name)}") for c in chokepoints],
        "dependency": [(d.pk, f"{d.label}{in_parens(d.sector.name)}") for d in dependencies],
    }


class AgendaItemForm(forms.Form):
    section = _("Agenda items")
    # A blank first choice: an untouched row posts nothing and is ignored.
    topic = forms.ChoiceField(label=_("topic"), choices=BLANK_CHOICE + AgendaTopic.choices)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Ids of records the user may see (agenda_link_choices); the view reads the records.
    threat = forms.TypedChoiceField(
        label=_("threat raised"), required=False, coerce=int, empty_value=None
    )
    chokepoint = forms.TypedChoiceField(
        label=_("chokepoint raised"), required=False, coerce=int, empty_value=None
    )
    dependency = forms.TypedChoiceField(
        label=_("dependency raised"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, user: User, links: dict[str, list] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        links = links if links is not None else agenda_link_choices(user)
        for name in AgendaItem.LINK_FIELDS:
            self.fields[name].choices = BLANK_CHOICE + links[name]


class SessionThreatRowForm(forms.Form):
    """A new threat identified in the session; created with the session as its source."""

    section = _("New threats identified")

    title = forms.CharField(label=_("title"), max_length=200)
    # The codes are read once per page (session_formset passes them to every row).
    code = forms.ChoiceField(label=_("threat code"))
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    likelihood = forms.TypedChoiceField(
        label=_("likelihood"), choices=BLANK_CHOICE + ONE_TO_FIVE_CHOICES, coerce=int
    )
    impact = forms.TypedChoiceField(
        label=_("impact"), choices=BLANK_CHOICE + ONE_TO_FIVE_CHOICES, coerce=int
    )
    sector = SectorChoiceField(label=_("sector"), queryset=Sector.objects.none(), required=False)
    marking = forms.ChoiceField(
        label=_("marking"),
        required=False,
        choices=[("", _("(the session's marking)")), *Marking.choices],
    )

    def __init__(self, *args, user: User, codes: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = BLANK_CHOICE + (
            codes if codes is not None else threat_code_choices()
        )
        self.fields["sector"].queryset = manageable_sectors(user)
        self.fields["sector"].empty_label = _("(the session's first sector; required if none)")


class SessionActionRowForm(forms.Form):
    """A follow-up action agreed in the session."""

    section = _("Follow-up actions agreed")

    title = forms.CharField(label=_("title"), max_length=200)
    owner = PersonChoiceField(label=_("owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("due date"), widget=DateInput)
    pillar = forms.ChoiceField(
        label=_("policy pillar"), choices=BLANK_CHOICE + PolicyPillar.choices
    )
    sector = SectorChoiceField(label=_("sector"), queryset=Sector.objects.none(), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = official_choices(user)
        self.fields["sector"].queryset = manageable_sectors(user)
        self.fields["sector"].empty_label = _("(the session's first sector; required if none)")


def session_formset(form_class, *, prefix: str, user: User, data=None, initial=None, **form_kwargs):
    """A formset of optional rows: a row left empty is ignored, a started row must be complete."""
    formset_class = forms.formset_factory(form_class, extra=EMPTY_ROWS if not initial else 2)
    return formset_class(
        data, initial=initial, prefix=prefix, form_kwargs={"user": user, **form_kwargs}
    )


def formset_rows(formset) -> list[dict]:
    return [
        form.cleaned_data
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class SessionStatusForm(WorkflowStatusForm):
    transitions, status_choices, record_name = SESSION_TRANSITIONS, SessionStatus, "session"
