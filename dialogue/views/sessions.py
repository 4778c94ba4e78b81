"""Dialogue sessions: list, detail, and one form that records everything about a session.

The form page holds the session and five tables of rows (participants, agenda items,
new threats, follow-up actions, plus links to existing threats and chokepoints). The
view parses them into typed rows and hands them to one service (session_record or
session_revise) that saves everything in one transaction: if any row is refused, the
page comes back with the messages next to the fields and nothing at all is saved.
"""

from __future__ import annotations

import django_filters as df
from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dialogue.enums import Marking, SessionFormat, SessionStatus
from dialogue.forms import (
    AgendaItemForm,
    ParticipantForm,
    SessionActionRowForm,
    SessionForm,
    SessionStatusForm,
    SessionThreatRowForm,
    add_service_errors,
    agenda_link_choices,
    formset_rows,
    session_formset,
    threat_code_choices,
)
from dialogue.lists.base import PageList, SortOption
from dialogue.lists.filters import ALL, RegisterFilterMixin, SearchFilter
from dialogue.lists.sessions import RECENT, UPCOMING, SessionFilter
from dialogue.models import (
    AgendaItem,
    ChokepointTechnology,
    DialogueSession,
    FollowUpAction,
    Forum,
    Participant,
    Threat,
)
from dialogue.permissions import can_record_session
from dialogue.selectors.forums import agenda_with_links
from dialogue.services.common import PermissionDeniedError, StaleVersionError
from dialogue.services.session_record import (
    ActionRow,
    AgendaRow,
    ParticipantRow,
    SessionRecordRefused,
    ThreatRow,
    session_record,
    session_revise,
)
from dialogue.services.sessions import session_change_status
from dialogue.views.access import official_required
from dialogue.views.history import change_history
from dialogue.views.lists import filtered_page
from dialogue.views.registers import change_status

SESSION_SORTS = [
    SortOption("-held", gettext_lazy("Date, newest first"), ("-held_on",)),
    SortOption("held", gettext_lazy("Date, oldest first"), ("held_on",)),
    SortOption("-updated", gettext_lazy("Recently updated"), ("-updated_at",)),
    SortOption("title", gettext_lazy("Title"), ("title",)),
]


class SessionListFilter(RegisterFilterMixin, SessionFilter):
    search = SearchFilter(label=gettext_lazy("Words"))
    when = df.ChoiceFilter(
        method="filter_when",
        choices=[(UPCOMING, gettext_lazy("Upcoming")), (RECENT, gettext_lazy("Held recently"))],
        label=gettext_lazy("When"),
        empty_label=ALL,
    )
    sector = df.ChoiceFilter(method="filter_sector", label=gettext_lazy("Sector"), empty_label=ALL)
    status = df.ChoiceFilter(
        choices=SessionStatus.choices, label=gettext_lazy("Status"), empty_label=ALL
    )
    format = df.ChoiceFilter(
        choices=SessionFormat.choices, label=pgettext_lazy("session", "Format"), empty_label=ALL
    )
    forum = df.ModelChoiceFilter(
        queryset=Forum.objects.order_by("sort_order", "code"),
        label=gettext_lazy("International forum"),
        empty_label=ALL,
    )
    marking = df.ChoiceFilter(
        choices=Marking.choices, label=gettext_lazy("Marking"), empty_label=ALL
    )
    held_after = df.DateFilter(
        field_name="held_on",
        lookup_expr="gte",
        label=gettext_lazy("Held on or after"),
        widget=django_forms.DateInput(attrs={"type": "date"}),
    )
    held_before = df.DateFilter(
        field_name="held_on",
        lookup_expr="lte",
        label=gettext_lazy("Held on or before"),
        widget=django_forms.DateInput(attrs={"type": "date"}),
    )

    class Meta(SessionFilter.Meta):
        fields = [
            "search",
            "when",
            "sector",
            "status",
            "format",
            "forum",
            "marking",
            "held_after",
            "held_before",
        ]

    def filter_when(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.upcoming(today) if value == UPCOMING else queryset.recent(today)


def session_url(session: DialogueSession) -> str:
    return reverse("workspace:session-detail", args=[session.pk])


def _visible_session(user, pk: int) -> DialogueSession:
    return get_object_or_404(
        DialogueSession.objects.visible_to(user).select_related("created_by"), pk=pk
    )


def _may_change(user, session: DialogueSession) -> bool:
    return can_record_session(user, list(session.sectors.all()), session.forum)


def _require_manage(user, session: DialogueSession) -> None:
    if not _may_change(user, session):
        raise PermissionDenied(_("You can record sessions only for your own sectors and forums."))


@official_required
def session_list(request):
    listing = filtered_page(
        request,
        DialogueSession.objects.visible_to(request.user)
        .select_related("forum")
        .prefetch_related("sectors"),
        PageList(SessionListFilter, SESSION_SORTS),
    )
    return render(
        request,
        "dialogue/sessions/list.html",
        {"listing": listing, "title": _("Dialogue sessions")},
    )


@official_required
def session_detail(request, pk: int):
    user = request.user
    session = get_object_or_404(
        DialogueSession.objects.visible_to(user)
        .select_related("created_by", "forum")
        .prefetch_related(
            "sectors",
            Prefetch(
                "participants",
                queryset=Participant.objects.visible_to(user)
                .select_related("organization")
                .order_by("id"),
            ),
        ),
        pk=pk,
    )
    threats = list(
        Threat.objects.visible_to(user)
        .filter(source_session=session)
        .select_related("sector", "category")
        .order_by("category__sort_order", "pk")
    )
    chokepoints = list(
        ChokepointTechnology.objects.visible_to(user)
        .filter(sessions=session)
        .select_related("sector")
        .order_by("name")
    )
    actions = list(
        FollowUpAction.objects.visible_to(user)
        .filter(session=session)
        .select_related("sector", "owner")
        .order_by("due_on", "pk")
    )
    may_change = _may_change(user, session)
    return render(
        request,
        "dialogue/sessions/detail.html",
        {
            "session": session,
            "agenda": agenda_with_links(
                AgendaItem.objects.filter(session=session).order_by("position", "id"), user
            ),
            "title": session.title,
            "organizations": list(session.participating_organizations.order_by("name")),
            "threats": threats,
            "chokepoints": chokepoints,
            "actions": actions,
            "history": change_history(session, user),
            "may_change": may_change,
            "status_form": SessionStatusForm(session=session) if may_change else None,
        },
    )


def _formsets(request, *, session: DialogueSession | None):
    user = request.user
    data = request.POST if request.method == "POST" else None
    participants = agenda = None
    if session is not None and data is None:
        participants = [
            {"name": p.name, "organization": p.organization_id, "affiliation": p.affiliation}
            for p in Participant.objects.visible_to(user).filter(session=session).order_by("id")
        ]
        agenda = [
            {
                "topic": a.topic,
                "note": a.note,
                **{
                    name: getattr(a, f"{name}_id") if getattr(a, f"{name}_shown") else None
                    for name in AgendaItem.LINK_FIELDS
                },
            }
            for a in agenda_with_links(
                AgendaItem.objects.filter(session=session).order_by("position", "id"), user
            )
        ]
    return {
        "participants": session_formset(
            ParticipantForm, prefix="participants", user=user, data=data, initial=participants
        ),
        "agenda": session_formset(
            AgendaItemForm,
            prefix="agenda",
            user=user,
            data=data,
            initial=agenda,
            links=agenda_link_choices(user),
        ),
        "threats": session_formset(
            SessionThreatRowForm,
            prefix="threats",
            user=user,
            data=data,
            codes=threat_code_choices(),
        ),
        "actions": session_formset(SessionActionRowForm, prefix="actions", user=user, data=data),
    }


def _started(formset) -> list:
    """The rows the user filled in (an untouched row is ignored)."""
    return [form for form in formset.forms if form.has_changed()]


def _participants(formset) -> list[ParticipantRow]:
    return [
        ParticipantRow(
            name=row["name"],
            organization=row.get("organization"),
            affiliation=row.get("affiliation", ""),
        )
        for row in formset_rows(formset)
    ]


def _agenda(formset, user) -> list[AgendaRow]:
    rows = formset_rows(formset)
    # The rows name ids offered from what the user may see; read them in one query per kind.
    linked = {
        name: model.objects.visible_to(user).in_bulk({row.get(name) for row in rows} - {None})
        for name, model in AgendaItem.link_models().items()
    }
    return [
        AgendaRow(
            topic=row["topic"],
            note=row.get("note", ""),
            **{name: linked[name].get(row.get(name)) for name in AgendaItem.LINK_FIELDS},
        )
        for row in rows
    ]


def _threat_row(row: dict) -> ThreatRow:
    return ThreatRow(
        title=row["title"],
        code=row["code"],
        likelihood=row["likelihood"],
        impact=row["impact"],
        sector=row.get("sector"),
        description=row.get("description", ""),
        marking=row.get("marking") or None,
    )


def _action_row(row: dict) -> ActionRow:
    return ActionRow(
        title=row["title"],
        owner=row["owner"],
        due_on=row["due_on"],
        pillar=row["pillar"],
        sector=row.get("sector"),
    )


def _rows(form: SessionForm, formsets: dict, row_forms: dict) -> dict:
    """The typed rows the record services take, from valid forms."""
    return {
        "participants": _participants(formsets["participants"]),
        "agenda": _agenda(formsets["agenda"], form.user),
        "threats": [_threat_row(row.cleaned_data) for row in row_forms["threats"]],
        "actions": [_action_row(row.cleaned_data) for row in row_forms["actions"]],
        "linked_threats": list(form.cleaned_data["linked_threats"]),
    }


def _show_refusal(form: SessionForm, row_forms: dict, refused: SessionRecordRefused) -> None:
    add_service_errors(form, refused)
    for table, errors in refused.rows.items():
        for position, error in errors.items():
            add_service_errors(row_forms[table][position], error)


def _all_valid(form: SessionForm, formsets: dict) -> bool:
    # Evaluate the form and every formset, so each shows its errors at once.
    return all([form.is_valid(), *(formset.is_valid() for formset in formsets.values())])


def _render_form(request, *, form, formsets, session, conflict=None, status=200):
    title = _("Edit the session") if session else _("Record a dialogue session")
    return render(
        request,
        "dialogue/sessions/form.html",
        {
            "form": form,
            "formsets": formsets,
            "session": session,
            "conflict": conflict,
            "title": title,
        },
        status=status,
    )


@official_required
@require_http_methods(["GET", "POST"])
def session_create_view(request):
    user = request.user
    formsets = _formsets(request, session=None)
    if request.method == "POST":
        form = SessionForm(request.POST, user=user)
        if _all_valid(form, formsets):
            data = form.cleaned_data
            row_forms = {name: _started(formsets[name]) for name in ("threats", "actions")}
            try:
                session = session_record(
                    user=user,
                    title=data["title"],
                    sectors=list(data["sectors"]),
                    held_on=data["held_on"],
                    format=data["format"],
                    forum=data["forum"],
                    marking=data["marking"],
                    minutes=data["minutes"],
                    chokepoints=list(data["chokepoints"]),
                    **_rows(form, formsets, row_forms),
                )
            except SessionRecordRefused as refused:
                _show_refusal(form, row_forms, refused)
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDeniedError as error:
                raise PermissionDenied(str(error)) from error
            else:
                messages.success(request, _("The session has been recorded."))
                return redirect(session_url(session))
    else:
        initial = {"marking": Marking.AMBER}
        # From a forum's page: "Record a session" starts an international session there,
        # with no sector until the official adds one.
        forum_id = request.GET.get("forum", "")
        if forum_id.isdigit():
            initial |= {"forum": int(forum_id), "format": SessionFormat.INTERNATIONAL}
        else:
            sectors = list(SessionForm(user=user).fields["sectors"].queryset[:2])
            if len(sectors) == 1:
                initial["sectors"] = sectors
        form = SessionForm(user=user, initial=initial)
    return _render_form(request, form=form, formsets=formsets, session=None)


@official_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk: int):
    user = request.user
    session = _visible_session(user, pk)
    _require_manage(user, session)
    formsets = _formsets(request, session=session)
    conflict = None
    if request.method == "POST":
        form = SessionForm(request.POST, user=user, session=session)
        if _all_valid(form, formsets):
            row_forms = {name: _started(formsets[name]) for name in ("threats", "actions")}
            try:
                session_revise(
                    user=user,
                    session=session,
                    changes=form.changes(),
                    expected_version=form.cleaned_data["version"],
                    **_rows(form, formsets, row_forms),
                )
            except SessionRecordRefused as refused:
                _show_refusal(form, row_forms, refused)
            except StaleVersionError as error:
                conflict = {
                    "yours": form.cleaned_data["version"],
                    "current": error.instance.version,
                    "fields": [],
                }
                data = request.POST.copy()
                data["version"] = str(error.instance.version)
                form = SessionForm(data, user=user, session=session)
                form.is_valid()
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDeniedError as error:
                raise PermissionDenied(str(error)) from error
            else:
                messages.success(request, _("The session has been saved."))
                return redirect(session_url(session))
    else:
        form = SessionForm(user=user, session=session)
    return _render_form(
        request,
        form=form,
        formsets=formsets,
        session=session,
        conflict=conflict,
        status=409 if conflict else 200,
    )


@official_required
@require_POST
def session_status(request, pk: int):
    session = _visible_session(request.user, pk)
    _require_manage(request.user, session)
    return change_status(
        request,
        SessionStatusForm(request.POST, session=session),
        change=lambda **change: session_change_status(
            session=session, actor=request.user, **change
        ),
        stale_message=_(
            "Someone else changed this session while you were viewing it, so the status "
            "was not changed. Check the current values and try again."
        ),
        back_to=session_url(session),
    )
