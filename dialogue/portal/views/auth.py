"""Sign-in, sign-out, password change and reset, invitations, and the lock-out page.

Django's auth views with portal templates. Failed sign-ins are counted by
django-axes (settings: LOGIN_FAILURE_LIMIT, LOGIN_LOCKOUT_MINUTES): after too many
for one account, or from one address, that account or address is refused for a
while and `locked_out` answers 429 with a page saying so.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from dialogue.permissions import is_official, may_use_portal
from dialogue.portal.access import bound, company_required, workspace_url
from dialogue.portal.forms import (
    InvitationAcceptForm,
    PortalAuthenticationForm,
    PortalPasswordResetForm,
    add_service_errors,
)
from dialogue.services.invitations import (
    InvitationUnusableError,
    invitation_accept,
    invitation_by_token,
    organization_display_name,
)

# A working day, as in the workspace: a session left open on a shared desk ends by itself.
PORTAL_SESSION_SECONDS = 8 * 60 * 60
INVITATION_SESSION_KEY = "_portal_invitation_token"


def remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """Pages in the person's stored language from now on (the header switch changes it)."""
    if translation.check_for_language(language):
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


class PortalLoginView(auth_views.LoginView):
    template_name = "portal/auth/login.html"
    authentication_form = PortalAuthenticationForm
    redirect_authenticated_user = True
    extra_context = {"title": gettext_lazy("Sign in")}

    def form_valid(self, form):
        # auth_login() inside gives the session a new key (no session fixation).
        response = super().form_valid(form)
        self.request.session.set_expiry(PORTAL_SESSION_SECONDS)
        return remember_language(response, self.request.user.language)

    def get_default_redirect_url(self):
        user = self.request.user
        if may_use_portal(user):
            return reverse("portal:home")
        if is_official(user):
            return workspace_url()
        return reverse("portal:home")


class PortalLogoutView(auth_views.LogoutView):
    """POST only (Django 5); a GET is refused with 405."""

    next_page = reverse_lazy("portal:login")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response


class PortalPasswordChangeView(auth_views.PasswordChangeView):
    template_name = "portal/auth/password_change.html"
    success_url = reverse_lazy("portal:account")
    extra_context = {"title": gettext_lazy("Change password"), "section": "account"}

    def form_valid(self, form):
        # Django keeps this session signed in and ends the user's other sessions; the
        # new password also revokes every API token (dialogue.services.tokens).
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PortalPasswordResetView(auth_views.PasswordResetView):
    template_name = "portal/auth/password_reset_form.html"
    form_class = PortalPasswordResetForm
    email_template_name = "emails/password_reset_body.txt"
    html_email_template_name = "emails/password_reset_body.html"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password-reset-done")
    extra_context = {"title": gettext_lazy("Reset your password")}


class PortalPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/auth/password_reset_done.html"
    extra_context = {"title": gettext_lazy("Check your e-mail")}


class PortalPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/auth/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password-reset-complete")
    extra_context = {"title": gettext_lazy("Set a new password")}


class PortalPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/auth/password_reset_complete.html"
    extra_context = {"title": gettext_lazy("Password set")}


login = PortalLoginView.as_view()
logout = PortalLogoutView.as_view()
password_change = company_required(PortalPasswordChangeView.as_view())
password_reset = PortalPasswordResetView.as_view()
password_reset_done = PortalPasswordResetDoneView.as_view()
password_reset_confirm = PortalPasswordResetConfirmView.as_view()
password_reset_complete = PortalPasswordResetCompleteView.as_view()


# --- invitations ------------------------------------------------------------------------


@never_cache
def invitation_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: keep the token in the session and continue at an address
    without it, so that it never appears in a Referer header or the browser history."""
    request.session[INVITATION_SESSION_KEY] = token
    return redirect("portal:invitation-accept")


def _unusable(request: HttpRequest, reason: str) -> HttpResponse:
    return render(
        request,
        "portal/auth/invitation_invalid.html",
        {"title": _("This invitation link cannot be used"), "reason": reason},
        status=410 if reason in {"used", "revoked", "expired"} else 404,
    )


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation_accept_view(request: HttpRequest) -> HttpResponse:
    token = request.session.get(INVITATION_SESSION_KEY, "")
    try:
        invitation = invitation_by_token(token)
    except InvitationUnusableError as error:
        return _unusable(request, error.reason)
    form = InvitationAcceptForm(*bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                token=token,
                password=form.cleaned_data["new_password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except InvitationUnusableError as error:
            return _unusable(request, error.reason)
        except ValidationError as error:
            add_service_errors(form, error, {"password": "new_password2"})
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session.set_expiry(PORTAL_SESSION_SECONDS)
            request.session.pop(INVITATION_SESSION_KEY, None)
            response = redirect("portal:home")
            remember_language(response, user.language)
            messages.success(request, _("Welcome. Your account is ready."))
            return response
    language = translation.get_language() or settings.LANGUAGE_CODE
    return render(
        request,
        "portal/auth/invitation_accept.html",
        {
            "title": _("Join the company portal"),
            "form": form,
            "invitation": invitation,
            "organization_name": organization_display_name(invitation.organization, language[:2]),
        },
    )


# --- lock-out ---------------------------------------------------------------------------


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' AXES_LOCKOUT_CALLABLE: too many failed sign-ins for the account or address."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    template = (
        "portal/auth/locked_out.html"
        if request.path.startswith(reverse("portal:home"))
        else "portal/auth/locked_out_elsewhere.html"
    )
    return render(
        request,
        template,
        {"title": _("Too many failed sign-in attempts"), "minutes": minutes},
        status=429,
    )
