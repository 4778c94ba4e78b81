"""For an organization's portal admin: colleagues, invitations, deactivation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dialogue.permissions import can_deactivate
from dialogue.portal import selectors
from dialogue.portal.access import org_admin_required
from dialogue.portal.forms import InviteForm, add_service_errors
from dialogue.services.accounts import user_deactivate
from dialogue.services.common import PermissionDeniedError
from dialogue.services.invitations import invitation_create, invitation_revoke


def _render(request, form=None, status=200) -> HttpResponse:
    user = request.user
    people = list(selectors.colleagues(user))
    for person in people:
        person.may_deactivate = person.is_active and can_deactivate(user, person)
    return render(
        request,
        "portal/colleagues/list.html",
        {
            "title": _("Colleagues"),
            "section": "colleagues",
            "people": people,
            "invitations": selectors.pending_invitations(user),
            "form": form or InviteForm(initial={"language": user.language}),
            "invitation_days": settings.INVITATION_TTL_DAYS,
        },
        status=status,
    )


@org_admin_required
@require_GET
def colleague_list(request: HttpRequest) -> HttpResponse:
    return _render(request)


@org_admin_required
@require_POST
def colleague_invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation, _link = invitation_create(
                inviter=request.user,
                organization=request.user.organization,
                email=form.cleaned_data["email"],
                is_org_admin=form.cleaned_data["is_org_admin"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            add_service_errors(form, error, {})
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("portal:colleague-list")
    return _render(request, form=form, status=400)


@org_admin_required
@require_POST
def colleague_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.colleague_get(request.user, pk)
    try:
        user_deactivate(actor=request.user, user=person)
    except PermissionDeniedError as error:
        raise PermissionDenied(str(error)) from error
    messages.success(
        request,
        _("%(name)s can no longer sign in; their sessions have ended.")
        % {"name": person.get_full_name() or person.username},
    )
    return redirect("portal:colleague-list")


@org_admin_required
@require_POST
def invitation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_get(request.user, pk)
    try:
        invitation_revoke(actor=request.user, invitation=invitation)
    except PermissionDeniedError as error:
        raise PermissionDenied(str(error)) from error
    messages.success(
        request, _("The invitation to %(email)s no longer works.") % {"email": invitation.email}
    )
    return redirect("portal:colleague-list")
