"""The concern inbox: what companies raised, triaged by their sectors' officials.

The inbox opens on the untriaged (submitted) concerns of the official's own sectors.
The detail page shows the thread with internal notes clearly marked (they are
never shown to company users: ConcernMessage.objects.visible_to drops them), and
the forms to assign, reply or note, link a threat, start an action, change status.
"""

from __future__ import annotations

import django_filters as df
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dialogue.enums import ConcernStatus, Marking
from dialogue.forms import (
    ConcernAssignForm,
    ConcernLinkThreatForm,
    ConcernMeasuresForm,
    ConcernMessageForm,
    ConcernStatusForm,
    ReferralProposeForm,
    ReferralStatusForm,
)
from dialogue.lists.base import PageList, SortOption
from dialogue.lists.concerns import FIRST_RESPONSE_OVERDUE, ConcernFilter
from dialogue.lists.filters import (
    ALL,
    MY_SECTORS,
    MySectorsScopeMixin,
    RegisterFilterMixin,
    SearchFilter,
)
from dialogue.models import Concern, ConcernAttachment, ConcernMessage, FollowUpAction, Threat
from dialogue.permissions import can_handle_concern
from dialogue.selectors.referrals import concern_measures, concern_referrals
from dialogue.selectors.reply_templates import chosen_template, reply_templates_for
from dialogue.selectors.support import referral_targets, scheme_suggestions
from dialogue.services.common import PermissionDeniedError, StaleVersionError
from dialogue.services.concerns import (
    concern_change_status,
    concern_link_threat,
    concern_message_post,
    concern_update,
)
from dialogue.views.access import official_required
from dialogue.views.confirm import ask_first
from dialogue.views.history import change_history
from dialogue.views.lists import filtered_page

CONCERN_SORTS = [
    SortOption("-created", gettext_lazy("Newest first"), ("-created_at",)),
    SortOption("created", gettext_lazy("Oldest first"), ("created_at",)),
    SortOption("-updated", gettext_lazy("Recently updated"), ("-updated_at",)),
    SortOption("code", gettext_lazy("Threat code"), ("category__sort_order",)),
]
ASSIGNED_TO_ME = "me"
UNASSIGNED = "none"
# The inbox with no filters chosen: the untriaged concerns of my sectors.
DEFAULT_QUERY = {"status": ConcernStatus.SUBMITTED, "scope": MY_SECTORS}


class ConcernInboxFilter(RegisterFilterMixin, MySectorsScopeMixin, ConcernFilter):
    status = df.ChoiceFilter(
        choices=ConcernStatus.choices, label=gettext_lazy("Status"), empty_label=ALL
    )
    sector = df.ChoiceFilter(method="filter_sector", label=gettext_lazy("Sector"), empty_label=ALL)
    category = df.ChoiceFilter(
        method="filter_category", label=gettext_lazy("Threat code"), empty_label=ALL
    )
    assigned = df.ChoiceFilter(
        method="filter_assigned",
        choices=[
            (ASSIGNED_TO_ME, gettext_lazy("Assigned to me")),
            (UNASSIGNED, gettext_lazy("Not assigned")),
        ],
        label=gettext_lazy("Assigned"),
        empty_label=ALL,
    )
    response = df.ChoiceFilter(
        method="filter_response",
        choices=[(FIRST_RESPONSE_OVERDUE, gettext_lazy("First answer overdue"))],
        label=gettext_lazy("First answer"),
        empty_label=ALL,
    )
    marking = df.ChoiceFilter(
        choices=Marking.choices, label=gettext_lazy("Marking"), empty_label=ALL
    )
    search = SearchFilter(label=gettext_lazy("Words"))

    class Meta(ConcernFilter.Meta):
        fields = [
            "scope",
            "status",
            "sector",
            "category",
            "assigned",
            "response",
            "marking",
            "search",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.user = user

    def filter_category(self, queryset, name, value):
        return queryset.filter(Q(category__code=value) | Q(category__parent__code=value))

    def filter_response(self, queryset, name, value):
        return queryset.first_response_overdue()

    def filter_assigned(self, queryset, name, value):
        if value == ASSIGNED_TO_ME:
            return queryset.filter(assigned_to=self.user)
        return queryset.filter(assigned_to__isnull=True)


def concern_url(concern: Concern) -> str:
    return reverse("workspace:concern-detail", args=[concern.pk])


def _visible_concern(user, pk: int) -> Concern:
    return get_object_or_404(
        Concern.objects.visible_to(user).select_related(
            "organization", "submitted_by", "sector", "category", "assigned_to"
        ),
        pk=pk,
    )


def _handled_concern(user, pk: int) -> Concern:
    concern = _visible_concern(user, pk)
    if not can_handle_concern(user, concern):
        raise PermissionDenied(_("Only the sector's officials can handle this concern."))
    return concern


@official_required
def concern_list(request):
    if not request.GET:
        request.GET = request.GET.copy()
        request.GET.update(DEFAULT_QUERY)
    listing = filtered_page(
        request,
        Concern.objects.visible_to(request.user).select_related(
            "organization", "sector", "category", "assigned_to"
        ),
        PageList(ConcernInboxFilter, CONCERN_SORTS),
    )
    return render(
        request,
        "dialogue/concerns/list.html",
        {"listing": listing, "title": _("Concern inbox")},
    )


def _detail_context(request, concern: Concern, **forms) -> dict:
    user = request.user
    thread = list(
        ConcernMessage.objects.visible_to(user)
        .filter(concern=concern)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    attachments = list(
        ConcernAttachment.objects.visible_to(user)
        .filter(concern=concern)
        .select_related("message")
        .order_by("created_at", "pk")
    )
    threats = list(
        Threat.objects.visible_to(user)
        .filter(source_concern=concern)
        .select_related("sector", "category")
    )
    actions = list(
        FollowUpAction.objects.visible_to(user)
        .filter(concern=concern)
        .select_related("sector", "owner")
        .order_by("due_on", "pk")
    )
    may_handle = can_handle_concern(user, concern)
    referrals = concern_referrals(user, concern)
    measures = concern_measures(user, concern)
    context = {
        "concern": concern,
        "title": concern.title,
        "thread": thread,
        "attachments": attachments,
        "threats": threats,
        "actions": actions,
        "history": change_history(concern, user),
        "may_handle": may_handle,
        "referrals": referrals,
        "measures": measures,
    }
    if may_handle:
        suggestions = scheme_suggestions(user, concern)
        organizations, schemes = referral_targets(user)
        for referral in referrals:
            referral.status_form = forms.pop(f"referral_{referral.number}_form", None) or (
                ReferralStatusForm(referral=referral, prefix=f"r{referral.number}")
            )
        templates = reply_templates_for(user, concern)
        # "Start from a template": the reply box opens with the chosen template's text.
        template = chosen_template(templates, request.GET.get("reply_template"))
        context.update(
            reply_templates=templates,
            reply_template=template,
            suggestions=suggestions,
            measures_form=ConcernMeasuresForm(concern=concern, user=user, linked=measures),
            refer_form=ReferralProposeForm(organizations=organizations, schemes=schemes),
            assign_form=ConcernAssignForm(concern=concern, user=user),
            message_form=ConcernMessageForm(
                attached=len(attachments),
                initial={"body": template.body} if template is not None else None,
            ),
            status_form=ConcernStatusForm(concern=concern),
            link_form=ConcernLinkThreatForm(concern=concern, user=user),
        )
        context.update(forms)
    return context


@official_required
def concern_detail(request, pk: int):
    concern = _visible_concern(request.user, pk)
    return render(request, "dialogue/concerns/detail.html", _detail_context(request, concern))


def _rerender(request, concern: Concern, status: int = 400, **forms):
    return render(
        request,
        "dialogue/concerns/detail.html",
        _detail_context(request, concern, **forms),
        status=status,
    )


STALE_MESSAGE = gettext_lazy(
    "Someone else changed this concern while you were viewing it, so nothing was changed. "
    "Check the current values and try again."
)


@official_required
@require_POST
def concern_assign(request, pk: int):
    concern = _handled_concern(request.user, pk)
    form = ConcernAssignForm(request.POST, concern=concern, user=request.user)
    if form.is_valid():
        try:
            concern_update(
                concern=concern,
                actor=request.user,
                changes={"assigned_to": form.cleaned_data["assigned_to"]},
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError:
            form.add_error(None, STALE_MESSAGE)
        except ValidationError as error:
            form.add_error("assigned_to", error.messages)
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(request, _("The concern has been assigned."))
            return redirect(concern_url(concern))
    return _rerender(request, concern, assign_form=form)


@official_required
@require_POST
def concern_message(request, pk: int):
    concern = _handled_concern(request.user, pk)
    form = ConcernMessageForm(request.POST, request.FILES, attached=concern.attachments.count())
    if form.is_valid():
        internal = form.cleaned_data["visibility"] == "internal"
        try:
            concern_message_post(
                concern=concern,
                author=request.user,
                body=form.cleaned_data["body"],
                is_internal=internal,
                uploads=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            # A refused file (type, size, room) is the file input's error; nothing was saved.
            on_file = hasattr(error, "error_dict") and "file" in error.error_dict
            form.add_error("attachments" if on_file else "body", error.messages)
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            if internal:
                messages.success(request, _("Your internal note has been added."))
            else:
                messages.success(request, _("Your reply has been sent to the company."))
            return redirect(concern_url(concern) + "#thread")
    return _rerender(request, concern, message_form=form)


@official_required
@require_POST
def concern_status(request, pk: int):
    concern = _handled_concern(request.user, pk)
    form = ConcernStatusForm(request.POST, concern=concern)
    if form.is_valid():
        if form.cleaned_data["status"] == ConcernStatus.CLOSED:
            asking = ask_first(
                request,
                title=_("Close the concern"),
                question=_(
                    "Close “%(title)s”? A closed concern takes no more replies from the "
                    "company and cannot be reopened."
                )
                % {"title": concern.title},
                button=_("Close the concern"),
                cancel_url=concern_url(concern),
            )
            if asking:
                return asking
        try:
            concern_change_status(
                concern=concern,
                actor=request.user,
                status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError:
            form.add_error(None, STALE_MESSAGE)
        except ValidationError as error:
            form.add_error("status", error.messages)
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(request, _("The status has been changed."))
            return redirect(concern_url(concern))
    return _rerender(request, concern, status_form=form)


@official_required
@require_POST
def concern_link(request, pk: int):
    concern = _handled_concern(request.user, pk)
    form = ConcernLinkThreatForm(request.POST, concern=concern, user=request.user)
    if form.is_valid():
        try:
            concern_link_threat(
                concern=concern, threat=form.cleaned_data["threat"], actor=request.user
            )
        except ValidationError as error:
            form.add_error("threat", error.messages)
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(request, _("The concern has been linked to the threat."))
            return redirect(concern_url(concern))
    return _rerender(request, concern, link_form=form)
