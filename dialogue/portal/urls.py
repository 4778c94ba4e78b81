"""The company portal, namespace "portal", mounted at /portal/.

Every pattern here is walked by tests/portal/test_isolation.py with two
organizations; a new pattern without an expectation there fails the suite.
`portal:concern-detail` and `portal:action-detail` are the links in e-mails
(dialogue/mail/links.py: item_link).

Concerns are addressed by their organization's reference number
(`/portal/concerns/2026-0003/`), never by the global id, which would tell a company
how many concerns every company has filed.
"""

from django.urls import path, register_converter

from dialogue.models.concerns import REFERENCE_PATTERN
from dialogue.portal.views import actions, auth, colleagues, concerns, home, notices, referrals


class ConcernReferenceConverter:
    regex = REFERENCE_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ConcernReferenceConverter, "concern_reference")

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    # Accounts
    path("login/", auth.login, name="login"),
    path("logout/", auth.logout, name="logout"),
    path("account/", home.account, name="account"),
    path("account/password/", auth.password_change, name="password-change"),
    path("account/tokens/<int:pk>/revoke/", home.token_revoke, name="token-revoke"),
    path("password-reset/", auth.password_reset, name="password-reset"),
    path("password-reset/sent/", auth.password_reset_done, name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("password-reset/done/", auth.password_reset_complete, name="password-reset-complete"),
    path("join/", auth.invitation_accept_view, name="invitation-accept"),
    path("join/<str:token>/", auth.invitation_link, name="invitation-link"),
    # Concerns
    path("concerns/", concerns.concern_list, name="concern-list"),
    path("concerns/new/", concerns.concern_create, name="concern-create"),
    path("concerns/<concern_reference:reference>/", concerns.concern_detail, name="concern-detail"),
    path(
        "concerns/<concern_reference:reference>/reply/",
        concerns.concern_reply,
        name="concern-reply",
    ),
    path(
        "concerns/<concern_reference:reference>/withdraw/",
        concerns.concern_withdraw,
        name="concern-withdraw",
    ),
    path(
        "concerns/<concern_reference:reference>/referrals/<int:number>/",
        referrals.referral_answer,
        name="referral-answer",
    ),
    path("attachments/<int:pk>/", concerns.attachment_download, name="attachment-download"),
    # Follow-up actions
    path("actions/", actions.action_list, name="action-list"),
    path("actions/<int:pk>/", actions.action_detail, name="action-detail"),
    path("actions/<int:pk>/status/", actions.action_status, name="action-status"),
    # Alerts and guidance
    path("guidance/", home.guidance, name="guidance"),
    path("notices/", notices.notice_list, name="notice-list"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice-detail"),
    path("best-practices/", notices.best_practice_list, name="best-practice-list"),
    path("guidance/support/", referrals.support_finder, name="support-finder"),
    # The organization's portal admin
    path("colleagues/", colleagues.colleague_list, name="colleague-list"),
    path("colleagues/invite/", colleagues.colleague_invite, name="colleague-invite"),
    path(
        "colleagues/<int:pk>/deactivate/",
        colleagues.colleague_deactivate,
        name="colleague-deactivate",
    ),
    path(
        "invitations/<int:pk>/revoke/",
        colleagues.invitation_revoke_view,
        name="invitation-revoke",
    ),
]
