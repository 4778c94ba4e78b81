"""Sign-in, sign-out and password change for the workspace (Django's auth views).

Language: Django picks the interface language from the language cookie (set by
its `set_language` view at /i18n/setlang/, which the header's switch posts to),
then from the browser. At sign-in we set that cookie from the user's stored
`User.language`, so an official who chose English once gets English on any
machine; the header switch then changes the language for the rest of the visit.
This is done in the sign-in view rather than in a middleware because it only
has to happen once, when the session starts.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dialogue.audit import audit_token_revoked
from dialogue.forms import SignInForm
from dialogue.models import ApiToken
from dialogue.permissions import may_use_workspace
from dialogue.services.tokens import api_token_list, api_token_revoke
from dialogue.views.access import official_required, portal_url
from dialogue.views.confirm import ask_before_revoking

# A working day: a session left open on a shared desk ends by itself. Set at
# sign-in (per session), so the API's and the admin's sessions are unaffected.
WORKSPACE_SESSION_SECONDS = getattr(settings, "WORKSPACE_SESSION_SECONDS", 8 * 60 * 60)


class WorkspaceLoginView(auth_views.LoginView):
    template_name = "dialogue/auth/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    extra_context = {"title": gettext_lazy("Sign in")}

    def form_valid(self, form):
        # auth_login() inside gives the session a new key (no session fixation).
        response = super().form_valid(form)
        self.request.session.set_expiry(WORKSPACE_SESSION_SECONDS)
        language = self.request.user.language
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

    def get_default_redirect_url(self):
        if may_use_workspace(self.request.user):
            return reverse("workspace:dashboard")
        return portal_url()


class WorkspaceLogoutView(auth_views.LogoutView):
    """POST only (Django 5); a GET is refused with 405."""

    next_page = reverse_lazy("workspace:login")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response


class WorkspacePasswordChangeView(auth_views.PasswordChangeView):
    template_name = "dialogue/auth/password_change.html"
    success_url = reverse_lazy("workspace:dashboard")
    extra_context = {"title": gettext_lazy("Change password")}

    def get_context_data(self, **kwargs):
        # The workspace's account page: the password, and the person's API tokens.
        return super().get_context_data(
            tokens=api_token_list(self.request.user),
            token_days=settings.API_TOKEN_TTL_DAYS,
            **kwargs,
        )

    def form_valid(self, form):
        # Django keeps this session signed in and ends the user's other sessions; the
        # new password also revokes every API token (dialogue.services.tokens).
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


@official_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the official's own API tokens; anyone else's is "not found"."""
    mine = ApiToken.objects.visible_to(request.user).filter(pk=pk).first()
    if mine is None:
        raise Http404
    asking = ask_before_revoking(request, mine, cancel_url=reverse("workspace:password-change"))
    if asking:
        return asking
    try:
        token = api_token_revoke(user=request.user, token_id=pk)
    except ApiToken.DoesNotExist as missing:
        raise Http404 from missing
    audit_token_revoked(request, token, reason="revoked")
    messages.success(request, _("The API token has been revoked."))
    return redirect("workspace:password-change")


login = WorkspaceLoginView.as_view()
logout = WorkspaceLogoutView.as_view()
password_change = official_required(WorkspacePasswordChangeView.as_view())
