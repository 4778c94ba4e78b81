"""Plan revisions and exports in the workspace, namespace "plans" (officials only)."""

from django.urls import path

from dialogue.views import exports, plans

app_name = "plans"

urlpatterns = [
    # The living action plan
    path("plans/", plans.plan_list, name="plan-list"),
    path("plans/new/", plans.plan_start, name="plan-start"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/changes/", plans.plan_diff, name="plan-diff"),
    path("plans/<int:pk>/refresh/", plans.plan_refresh, name="plan-refresh"),
    path("plans/<int:pk>/publish/", plans.plan_publish, name="plan-publish"),
    path("plans/<int:pk>/delete/", plans.plan_delete, name="plan-delete"),
    path("plans/<int:pk>/export/", exports.plan_export, name="plan-export"),
    # Exports: lists as their pages show them, and large exports' progress
    path("exports/", exports.export_job_list, name="export-job-list"),
    path("exports/lists/<slug:kind>/", exports.list_export, name="list-export"),
    path("exports/<int:pk>/", exports.export_job_detail, name="export-job"),
    path("exports/<int:pk>/download/", exports.export_job_download, name="export-job-download"),
]
