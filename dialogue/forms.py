"""HTML forms of the officials' workspace.

Forms parse and validate input; they never save. Views hand `cleaned_data`
to a service (dialogue/services/), which validates again, checks permissions and
writes. Choices are limited to what the user may see, and the sector to the
sectors the user may manage.

Edits are optimistic: a hidden `version` goes back to the service as
`expected_version`, so an edit based on an old read is refused (StaleVersionError)
instead of silently overwriting someone else's change.
"""

from __future__ import annotations

import copy

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogue.enums import (
    ActionStatus,
    AgendaTopic,
    ConcernStatus,
    Marking,
    PolicyPillar,
    Priority,
    Role,
    SessionFormat,
    SessionStatus,
    ThreatStatus,
)
from dialogue.models import (
    ChokepointTechnology,
    Concern,
    DialogueSession,
    Organization,
    Sector,
    Threat,
    ThreatCategory,
    User,
)
from dialogue.permissions import is_secretariat
from dialogue.querysets import official_sector_ids
from dialogue.services.chokepoints import CHOKEPOINT_UPDATABLE
from dialogue.services.threats import THREAT_UPDATABLE
from dialogue.templatetags.workspace import in_parens, person_name
from dialogue.workflows import (
    ACTION_TRANSITIONS,
    CONCERN_TRANSITIONS,
    SESSION_TRANSITIONS,
    THREAT_TRANSITIONS,
    allowed_next,
)

ONE_TO_FIVE_CHOICES = [
    (1, _("1 – very low")),
    (2, _("2 – low")),
    (3, _("3 – medium")),
    (4, _("4 – high")),
    (5, _("5 – very high")),
]


class UsernameLengthMixin:
    """For Django's sign-in forms: the user name's length enforced, not only hinted.

    Django sets the field's max_length after building it, which adds no validator: a
    longer name was checked against the passwords and then written to the failed
    sign-in log (django-axes), whose column PostgreSQL refuses it for.
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class SignInForm(UsernameLengthMixin, AuthenticationForm):
    """The sign-in form of the workspace and (as PortalAuthenticationForm) the portal."""


def manageable_sectors(user: User):
    """The sectors the user may change the registers of (see permissions.can_manage_sector)."""
    sectors = Sector.objects.visible_to(user).order_by("sort_order", "code")
    if is_secretariat(user):
        return sectors
    return sectors.filter(pk__in=official_sector_ids(user))


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (else above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields and name != NON_FIELD_ERRORS else None
            form.add_error(target, errors)
    else:
        form.add_error(None, error)


class SectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Sector) -> str:
        return obj.name


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{person_name(obj)}{in_parens(obj.get_role_display())}"


class RegisterForm(forms.ModelForm):
    """Shared by the threat and chokepoint forms: user-scoped choices, version, RED rule.

    `hidden_links` keeps links the editing user cannot see: a many-to-many value
    that is not among the user's choices is added back to what they submit, and a
    foreign key to a record they cannot see is shown as locked and left as it is.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    updatable: set[str] = set()

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["sector"].queryset = manageable_sectors(user)
        self.fields["named_users"].queryset = (
            User.objects.visible_to(user).filter(is_active=True).order_by("last_name", "username")
        )
        if self.instance.pk:
            # An edit must say which version it started from, or it could overwrite blindly.
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version

    def limit_foreign_key(self, name: str, queryset) -> None:
        field = self.fields[name]
        field.queryset = queryset
        field.empty_label = _("(none)")
        current = getattr(self.instance, f"{name}_id", None)
        if current is not None and not queryset.filter(pk=current).exists():
            field.disabled = True
            field.help_text = _("Linked to a record you cannot see; it stays as it is.")

    def hidden_links(self, name: str) -> list:
        """Linked ids that were not offered to this user (kept on save)."""
        if not self.instance.pk:
            return []
        offered = self.fields[name].queryset.values("pk")
        return list(
            getattr(self.instance, name).exclude(pk__in=offered).values_list("pk", flat=True)
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("marking") == Marking.RED:
            # A RED item is visible only to the people named on it: never lock its author out.
            named = list(cleaned.get("named_users") or [])
            if self.user not in named:
                named.append(self.user)
            cleaned["named_users"] = named
        return cleaned

    def _post_clean(self):
        # Model validation sets the submitted values on the instance: do it on a copy, so
        # the record the view hands to the service (and its permission check) is unchanged.
        original = self.instance
        self.instance = copy.copy(original)
        try:
            super()._post_clean()
        finally:
            self.instance = original

    def service_values(self) -> dict:
        """cleaned_data for a create service (model fields only, many-to-many as lists)."""
        values = {}
        for name in self._meta.fields:
            if name in self.cleaned_data:
                values[name] = self._plain(name)
        return values

    def service_changes(self) -> dict:
        """Only the fields the user changed, for an update service."""
        changes = {
            name: self._plain(name)
            for name in self.changed_data
            if name in self.updatable and not self.fields[name].disabled
        }
        if self.cleaned_data.get("marking") == Marking.RED:
            # clean() may have named the author; send the names even if the user did not touch them.
            changes["named_users"] = self._plain("named_users")
        return changes

    def _plain(self, name: str):
        value = self.cleaned_data[name]
        if isinstance(self.fields[name], forms.ModelMultipleChoiceField):
            return [*value, *self.hidden_links(name)]
        return value


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


class ThreatStatusForm(WorkflowStatusForm):
    transitions, status_choices, record_name = THREAT_TRANSITIONS, ThreatStatus, "threat"


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


# -- Part 2: dialogue sessions, follow-up actions, concerns ------------------------------

# Without JavaScript the session form offers this many empty rows per table; the
# "add a row" button (static/dialogue/js/formset.js) adds more.
EMPTY_ROWS = 5
BLANK_CHOICE = [("", "---------")]


def official_choices(user: User, sectors=None):
    """Active officials the user may see; with `sectors`, those who work on one of them."""
    people = User.objects.visible_to(user).filter(
        is_active=True, role__in=[Role.OFFICIAL, Role.SECRETARIAT]
    )
    if sectors is not None:
        sector_ids = [s.pk for s in sectors]
        people = people.filter(
            Q(role=Role.SECRETARIAT)
            | Q(sectors__in=sector_ids)
            | Q(sectors__children__in=sector_ids)
        ).distinct()
    return people.order_by("last_name", "first_name", "username")


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


class SessionForm(forms.Form):
    """The session itself; its rows (participants, agenda, threats, actions) are formsets."""

    title = forms.CharField(label=_("title"), max_length=200)
    sectors = SectorMultipleChoiceField(
        label=_("sectors"), queryset=Sector.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    held_on = forms.DateField(label=_("date"), widget=DateInput)
    format = forms.ChoiceField(label=_("format"), choices=SessionFormat.choices)
    marking = forms.ChoiceField(label=_("marking"), choices=Marking.choices, initial=Marking.AMBER)
    participating_organizations = forms.ModelMultipleChoiceField(
        label=_("participating organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
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

    SCALAR_FIELDS = ("title", "held_on", "format", "marking", "minutes")
    M2M_FIELDS = ("sectors", "participating_organizations", "chokepoints")

    def __init__(self, *args, user: User, session: DialogueSession | None = None, **kwargs):
        if session is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(session, name) for name in self.SCALAR_FIELDS},
                "sectors": list(session.sectors.all()),
                "participating_organizations": list(session.participating_organizations.all()),
                "chokepoints": list(session.chokepoints.all()),
                "linked_threats": list(Threat.objects.filter(source_session=session)),
                "version": session.version,
            }
        super().__init__(*args, **kwargs)
        self.user = user
        self.session = session
        sectors = manageable_sectors(user)
        self.fields["sectors"].queryset = sectors
        self.fields["participating_organizations"].queryset = Organization.objects.visible_to(
            user
        ).order_by("name")
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
    name = forms.CharField(label=_("name"), max_length=100)
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


class AgendaItemForm(forms.Form):
    # A blank first choice: an untouched row posts nothing and is ignored.
    topic = forms.ChoiceField(label=_("topic"), choices=BLANK_CHOICE + AgendaTopic.choices)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)


class SessionThreatRowForm(forms.Form):
    """A new threat identified in the session; created with the session as its source."""

    title = forms.CharField(label=_("title"), max_length=200)
    code = forms.CharField(label=_("threat code"), max_length=8, help_text=_("e.g. 1-2 or 2-1"))
    likelihood = forms.TypedChoiceField(
        label=_("likelihood"), choices=BLANK_CHOICE + ONE_TO_FIVE_CHOICES, coerce=int
    )
    impact = forms.TypedChoiceField(
        label=_("impact"), choices=BLANK_CHOICE + ONE_TO_FIVE_CHOICES, coerce=int
    )
    sector = SectorChoiceField(label=_("sector"), queryset=Sector.objects.none(), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = manageable_sectors(user)
        self.fields["sector"].empty_label = _("(the session's first sector)")

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not ThreatCategory.objects.filter(code=code, parent__isnull=False).exists():
            raise ValidationError(
                _("“%(code)s” is not a threat code (use one such as 1-2 or 2-1)."),
                code="unknown_code",
                params={"code": code},
            )
        return code


class SessionActionRowForm(forms.Form):
    """A follow-up action agreed in the session."""

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
        self.fields["sector"].empty_label = _("(the session's first sector)")


def session_formset(form_class, *, prefix: str, user: User, data=None, initial=None):
    """A formset of optional rows: a row left empty is ignored, a started row must be complete."""
    formset_class = forms.formset_factory(form_class, extra=EMPTY_ROWS if not initial else 2)
    return formset_class(data, initial=initial, prefix=prefix, form_kwargs={"user": user})


def formset_rows(formset) -> list[dict]:
    return [
        form.cleaned_data
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class SessionStatusForm(WorkflowStatusForm):
    transitions, status_choices, record_name = SESSION_TRANSITIONS, SessionStatus, "session"


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
