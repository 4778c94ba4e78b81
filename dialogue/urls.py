"""The officials' workspace (server-rendered pages), namespace "workspace".

URL names are part of the contract with the templates: the main navigation
shows an item only when its name exists (see templatetags/workspace.py), and
links to records use `{% optional_url %}` until their pages exist. Part 2 adds,
under these names: session-list, session-detail, session-create, session-edit;
action-list, action-detail; concern-list, concern-detail.
"""

from django.urls import path

from dialogue.views import actions as action_views
from dialogue.views import auth, chokepoints, dashboard, digests, notices, search, sectors, threats
from dialogue.views import calendar as calendar_views
from dialogue.views import concerns as concern_views
from dialogue.views import dependencies as dependency_views
from dialogue.views import forums as forum_views
from dialogue.views import referrals as referral_views
from dialogue.views import saved_filters as saved_filter_views
from dialogue.views import sessions as session_views
from dialogue.views import support as support_views
from dialogue.views import tracker_import as tracker_import_views

app_name = "workspace"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    # Accounts
    path("accounts/login/", auth.login, name="login"),
    path("accounts/logout/", auth.logout, name="logout"),
    path("accounts/password/", auth.password_change, name="password-change"),
    path("accounts/tokens/<int:pk>/revoke/", auth.token_revoke, name="token-revoke"),
    # Sectors
    path("sectors/", sectors.sector_list, name="sector-list"),
    path("sectors/<slug:code>/", sectors.sector_detail, name="sector-detail"),
    # Threat register
    path("threats/", threats.threat_list, name="threat-list"),
    path("threats/new/", threats.threat_create_view, name="threat-create"),
    path("threats/<int:pk>/", threats.threat_detail, name="threat-detail"),
    path("threats/<int:pk>/edit/", threats.threat_edit, name="threat-edit"),
    path("threats/<int:pk>/status/", threats.threat_status, name="threat-status"),
    # Chokepoint register
    path("chokepoints/", chokepoints.chokepoint_list, name="chokepoint-list"),
    path("chokepoints/new/", chokepoints.chokepoint_create_view, name="chokepoint-create"),
    path("chokepoints/<int:pk>/", chokepoints.chokepoint_detail, name="chokepoint-detail"),
    path("chokepoints/<int:pk>/edit/", chokepoints.chokepoint_edit, name="chokepoint-edit"),
    # Dependency register (特定国依存) and its map
    path("dependencies/", dependency_views.dependency_list, name="dependency-list"),
    path("dependencies/new/", dependency_views.dependency_create_view, name="dependency-create"),
    path("dependencies/import/", dependency_views.dependency_import_view, name="dependency-import"),
    path("import/<slug:kind>/", tracker_import_views.tracker_import_view, name="tracker-import"),
    path("dependencies/map/", dependency_views.dependency_map_view, name="dependency-map"),
    path("dependencies/map.svg", dependency_views.dependency_map_svg, name="dependency-map-svg"),
    path("dependencies/chart/", dependency_views.dependency_chart, name="dependency-chart"),
    path(
        "dependencies/chart.svg", dependency_views.dependency_chart_svg, name="dependency-chart-svg"
    ),
    path("dependencies/<int:pk>/", dependency_views.dependency_detail, name="dependency-detail"),
    path("dependencies/<int:pk>/edit/", dependency_views.dependency_edit, name="dependency-edit"),
    # Dialogue sessions
    path("sessions/", session_views.session_list, name="session-list"),
    path("sessions/new/", session_views.session_create_view, name="session-create"),
    path("sessions/<int:pk>/", session_views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", session_views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/status/", session_views.session_status, name="session-status"),
    # International forums
    path("forums/", forum_views.forum_list, name="forum-list"),
    path("forums/<slug:code>/", forum_views.forum_detail, name="forum-detail"),
    # Follow-up action tracker
    path("actions/", action_views.action_list, name="action-list"),
    path("actions/new/", action_views.action_create_view, name="action-create"),
    path("actions/bulk-status/", action_views.action_bulk_status, name="action-bulk-status"),
    path("actions/<int:pk>/", action_views.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", action_views.action_edit, name="action-edit"),
    path("actions/<int:pk>/status/", action_views.action_status, name="action-status"),
    # Concern inbox
    path("concerns/", concern_views.concern_list, name="concern-list"),
    path("concerns/<int:pk>/", concern_views.concern_detail, name="concern-detail"),
    path("concerns/<int:pk>/assign/", concern_views.concern_assign, name="concern-assign"),
    path("concerns/<int:pk>/messages/", concern_views.concern_message, name="concern-message"),
    path("concerns/<int:pk>/status/", concern_views.concern_status, name="concern-status"),
    path("concerns/<int:pk>/link-threat/", concern_views.concern_link, name="concern-link-threat"),
    # Outreach notices to companies
    path("notices/", notices.notice_list_view, name="notice-list"),
    path("notices/new/", notices.notice_create_view, name="notice-create"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice-detail"),
    path("notices/<int:pk>/edit/", notices.notice_edit, name="notice-edit"),
    path("notices/<int:pk>/publish/", notices.notice_publish_view, name="notice-publish"),
    path("notices/<int:pk>/withdraw/", notices.notice_withdraw_view, name="notice-withdraw"),
    path("notices/<int:pk>/reach/", notices.notice_reach_view, name="notice-reach"),
    path(
        "concerns/<int:pk>/measures/",
        referral_views.concern_measures_link,
        name="concern-measures",
    ),
    path("concerns/<int:pk>/referrals/", referral_views.concern_refer, name="concern-refer"),
    path(
        "concerns/<int:pk>/referrals/<int:number>/status/",
        referral_views.referral_status,
        name="referral-status",
    ),
    # Support catalogue (the secretariat maintains it)
    path("support/", support_views.catalogue, name="support-catalogue"),
    path(
        "support/organizations/new/",
        support_views.organization_create_view,
        name="support-organization-create",
    ),
    path(
        "support/organizations/<int:pk>/",
        support_views.organization_detail,
        name="support-organization-detail",
    ),
    path(
        "support/organizations/<int:pk>/edit/",
        support_views.organization_edit,
        name="support-organization-edit",
    ),
    path("support/schemes/new/", support_views.scheme_create_view, name="support-scheme-create"),
    path("support/schemes/<int:pk>/", support_views.scheme_detail, name="support-scheme-detail"),
    path("support/schemes/<int:pk>/edit/", support_views.scheme_edit, name="support-scheme-edit"),
    # Calendar feed (iCalendar) of my sessions and action due dates
    path("saved-filters/", saved_filter_views.saved_filter_create, name="saved-filter-create"),
    path(
        "saved-filters/<int:pk>/delete/",
        saved_filter_views.saved_filter_delete_view,
        name="saved-filter-delete",
    ),
    path("calendar/", calendar_views.calendar_settings, name="calendar"),
    path("calendar.ics", calendar_views.calendar_feed, name="calendar-feed"),
    # Search
    path("search/", search.search, name="search"),
    # Plan-revision digests sent to me, and my digest settings
    path("digests/", digests.digest_list, name="digest-list"),
    path("digests/settings/", digests.digest_preferences, name="digest-preferences"),
    path("digests/<int:pk>/", digests.digest_detail, name="digest-detail"),
]
