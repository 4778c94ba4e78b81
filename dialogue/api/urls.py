from django.urls import include, path
from rest_framework.routers import DefaultRouter

from dialogue.api.views.actions import ActionViewSet
from dialogue.api.views.auth import TokenDetailView, TokenListView, TokenView
from dialogue.api.views.concerns import (
    ConcernAttachmentViewSet,
    ConcernMessageViewSet,
    ConcernViewSet,
)
from dialogue.api.views.dependencies import DependencyViewSet
from dialogue.api.views.exports import (
    ActionExportView,
    ChokepointExportView,
    ExportJobViewSet,
    PlanRevisionExportView,
    ThreatExportView,
)
from dialogue.api.views.forums import ForumViewSet
from dialogue.api.views.notices import NoticeViewSet
from dialogue.api.views.plans import PlanRevisionViewSet
from dialogue.api.views.reference import (
    MeView,
    OrganizationViewSet,
    SectorViewSet,
    ThreatCategoryViewSet,
)
from dialogue.api.views.registers import ChokepointViewSet, ThreatViewSet
from dialogue.api.views.sessions import SessionViewSet
from dialogue.api.views.support import (
    ConcernMeasureViewSet,
    ReferralViewSet,
    SupportOrganizationViewSet,
    SupportSchemeViewSet,
)

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("sectors", SectorViewSet, basename="sector")
router.register("threat-categories", ThreatCategoryViewSet, basename="threat-category")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("forums", ForumViewSet, basename="forum")
router.register("sessions", SessionViewSet, basename="session")
router.register("threats", ThreatViewSet, basename="threat")
router.register("chokepoints", ChokepointViewSet, basename="chokepoint")
router.register("dependencies", DependencyViewSet, basename="dependency")
router.register("concerns", ConcernViewSet, basename="concern")
router.register("actions", ActionViewSet, basename="action")
router.register("plan-revisions", PlanRevisionViewSet, basename="plan-revision")
router.register("export-jobs", ExportJobViewSet, basename="export-job")
router.register("notices", NoticeViewSet, basename="notice")
router.register(
    "support-organizations", SupportOrganizationViewSet, basename="support-organization"
)
router.register("support-schemes", SupportSchemeViewSet, basename="support-scheme")

concern_messages = ConcernMessageViewSet.as_view({"get": "list", "post": "create"})
concern_attachments = ConcernAttachmentViewSet.as_view({"get": "list", "post": "create"})
concern_attachment = ConcernAttachmentViewSet.as_view({"get": "retrieve"})
concern_attachment_download = ConcernAttachmentViewSet.as_view({"get": "download"})
concern_referrals = ReferralViewSet.as_view({"get": "list", "post": "create"})
concern_referral = ReferralViewSet.as_view({"get": "retrieve", "patch": "partial_update"})
concern_referral_answer = ReferralViewSet.as_view({"post": "answer"})
concern_measures = ConcernMeasureViewSet.as_view({"get": "list", "put": "update"})

# `concern_pk` is the concern's id for officials, its organization's reference number
# ("2026-0003") for company users (dialogue.disclosure.concern_key_filter).
urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/tokens/", TokenListView.as_view(), name="token-list"),
    path("auth/tokens/<int:pk>/", TokenDetailView.as_view(), name="token-detail"),
    path("me/", MeView.as_view(), name="me"),
    path("concerns/<str:concern_pk>/messages/", concern_messages, name="concern-message-list"),
    path(
        "concerns/<str:concern_pk>/attachments/",
        concern_attachments,
        name="concern-attachment-list",
    ),
    path(
        "concerns/<str:concern_pk>/attachments/<int:pk>/",
        concern_attachment,
        name="concern-attachment-detail",
    ),
    path(
        "concerns/<str:concern_pk>/attachments/<int:pk>/download/",
        concern_attachment_download,
        name="concern-attachment-download",
    ),
    path("concerns/<str:concern_pk>/referrals/", concern_referrals, name="concern-referral-list"),
    path(
        "concerns/<str:concern_pk>/referrals/<int:number>/",
        concern_referral,
        name="concern-referral-detail",
    ),
    path(
        "concerns/<str:concern_pk>/referrals/<int:number>/answer/",
        concern_referral_answer,
        name="concern-referral-answer",
    ),
    path(
        "concerns/<str:concern_pk>/foreign-measures/",
        concern_measures,
        name="concern-measure-list",
    ),
    # Exports: before the router, whose threats/{pk}/ would otherwise take threats/export/.
    path("threats/export/", ThreatExportView.as_view(), name="threat-export"),
    path("actions/export/", ActionExportView.as_view(), name="action-export"),
    path("chokepoints/export/", ChokepointExportView.as_view(), name="chokepoint-export"),
    path(
        "plan-revisions/<int:pk>/export/",
        PlanRevisionExportView.as_view(),
        name="plan-revision-export",
    ),
    path("", include(router.urls)),
]
