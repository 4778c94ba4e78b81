"""Admin for every model. Non-superusers see only what `visible_to(user)` allows."""

import dataclasses

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from dialogue import models as m
from dialogue.admin_accounts import InvitationAdmin, deactivate_users
from dialogue.admin_lookups import VisibleLookupsMixin
from dialogue.audit import audit_token_revoked
from dialogue.forms import UsernameLengthMixin
from dialogue.measure_dates import measure_date_label
from dialogue.permissions import is_official
from dialogue.querysets import MarkedQuerySet

admin.site.site_header = _("Strategic dialogue administration")
admin.site.site_title = _("Strategic dialogue")


class AdminSignInForm(UsernameLengthMixin, AdminAuthenticationForm):
    """The admin's sign-in form, with the user name's length enforced (see the mixin)."""


admin.site.login_form = AdminSignInForm


def keeps_history(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


class ChangesWithout(HistoricalRecordContextHelper):
    """A past version's changes, leaving out the fields in `hidden`."""

    def __init__(self, model, record, *, hidden: set[str], **kwargs):
        super().__init__(model, record, **kwargs)
        self.hidden = hidden

    def context_for_delta_changes(self, delta):
        shown = [change for change in delta.changes if change.field not in self.hidden]
        delta = dataclasses.replace(
            delta, changes=shown, changed_fields=[change.field for change in shown]
        )
        return super().context_for_delta_changes(delta)


class VisibilityAdmin(VisibleLookupsMixin, SimpleHistoryAdmin):
    """Scope every list, detail and lookup to the signed-in user's visibility.

    Lookups through relations (URL filters, list filters, search) leave out the related
    records the user may not see (dialogue.admin_lookups).

    A record's links to marked records (a threat's source session and concern, an
    action's threat …) may name what the reader may not see although they see the
    record: they are left out of its page and its history for all but superusers,
    except the links in `scoped_by`, without which the record itself is not visible.
    """

    scoped_by: tuple[str, ...] = ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.visible_to(request.user)

    def hidden_links(self, request) -> set[str]:
        if request.user.is_superuser:
            return set()
        return {
            field.name
            for field in self.model._meta.get_fields()
            if field.is_relation
            and not field.auto_created
            and field.related_model is not None
            and field.name not in self.scoped_by
            and issubclass(
                getattr(field.related_model._default_manager, "_queryset_class", object),
                MarkedQuerySet,
            )
        }

    def get_fields(self, request, obj=None):
        hidden = self.hidden_links(request)
        return [name for name in super().get_fields(request, obj) if name not in hidden]

    def _visible_choices(self, db_field, request, kwargs: dict) -> dict:
        # A form's choices (a past version's form, or a form for an official granted
        # permission to change) list only the records the user may see.
        manager = db_field.related_model._default_manager
        if not request.user.is_superuser and hasattr(manager, "visible_to"):
            kwargs.setdefault("queryset", manager.visible_to(request.user))
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = self._visible_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs = self._visible_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_historical_record_context_helper(self, request, historical_record):
        return ChangesWithout(self.model, historical_record, hidden=self.hidden_links(request))

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history falls back to the last past version of a record that the
        # user's queryset does not hold: answer as for a record that does not exist.
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not keeps_history(self.model):
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # One past version: of a record the user may see, and reverting to it is a change.
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not keeps_history(self.model):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _is_official_staff(self, request) -> bool:
        return request.user.is_staff and is_official(request.user)

    # Staff officials may browse what they can see; changing data needs Django permissions.
    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._is_official_staff(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._is_official_staff(request)


class CreatedByAdmin(VisibilityAdmin):
    readonly_fields = ["version", "created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# Stacked rather than tabular: each field keeps its <label> (a table cell has only its
# column header, which assistive technology does not read as the field's name).
class SectorChildInline(admin.StackedInline):
    model = m.Sector
    fk_name = "parent"
    fields = ["code", "name_ja", "name_en", "designated_critical_product", "sort_order"]
    extra = 0
    show_change_link = True


@admin.register(m.Sector)
class SectorAdmin(VisibilityAdmin):
    list_display = ["code", "name_ja", "name_en", "kind", "parent", "designated_critical_product"]
    list_filter = ["kind", "designated_critical_product", "parent"]
    search_fields = ["code", "name_ja", "name_en"]
    autocomplete_fields = ["lead"]
    inlines = [SectorChildInline]


@admin.register(m.ThreatCategory)
class ThreatCategoryAdmin(VisibilityAdmin):
    list_display = ["code", "name_ja", "name_en", "parent"]
    list_filter = ["parent"]
    search_fields = ["code", "name_ja", "name_en"]


@admin.register(m.BestPractice)
class BestPracticeAdmin(VisibilityAdmin):
    list_display = ["number", "title_ja", "title_en"]
    list_filter = ["threat_categories"]
    search_fields = ["title_ja", "title_en", "description_ja", "description_en"]
    filter_horizontal = ["threat_categories"]


@admin.register(m.ForeignMeasure)
class ForeignMeasureAdmin(VisibilityAdmin):
    list_display = [
        "title_ja",
        "country_code",
        "kind",
        "date_as_given",
        "affects_all_sectors",
        "marking",
    ]
    list_filter = [
        "kind",
        "country_code",
        "marking",
        "status",
        "affects_all_sectors",
        "sectors",
    ]
    search_fields = ["title_ja", "title_en", "description_ja", "description_en"]
    filter_horizontal = ["sectors", "threat_categories"]
    date_hierarchy = "effective_on"

    @admin.display(description=_("date"), ordering="effective_on")
    def date_as_given(self, measure: m.ForeignMeasure) -> str:
        return measure_date_label(
            measure.effective_on, measure.effective_precision, status=measure.status
        )


@admin.register(m.Forum)
class ForumAdmin(VisibilityAdmin):
    """The plan's forums come from fixtures/forums.json; the secretariat names the
    officials responsible for each here."""

    list_display = ["code", "name_ja", "name_en", "sort_order"]
    search_fields = ["code", "name_ja", "name_en"]
    filter_horizontal = ["officials"]


@admin.register(m.Organization)
class OrganizationAdmin(VisibilityAdmin):
    list_display = ["name", "corporate_number", "kind", "size_class"]
    list_filter = ["kind", "size_class", "sectors"]
    search_fields = ["name", "name_en", "corporate_number"]
    filter_horizontal = ["sectors"]


@admin.register(m.User)
class UserAdmin(DjangoUserAdmin, VisibilityAdmin):
    list_display = ["username", "email", "role", "organization", "is_org_admin", "is_active"]
    actions = [deactivate_users]
    list_filter = ["role", "is_active", "is_org_admin", "language", "sectors"]
    search_fields = ["username", "email", "first_name", "last_name", "organization__name"]
    autocomplete_fields = ["organization"]
    filter_horizontal = ["sectors", "groups", "user_permissions"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Strategic dialogue"),
            {"fields": ["role", "organization", "is_org_admin", "sectors", "language"]},
        ),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (
            _("Strategic dialogue"),
            {"fields": ["email", "role", "organization", "is_org_admin", "language"]},
        ),
    ]


admin.site.register(m.Invitation, InvitationAdmin)


class ParticipantInline(admin.StackedInline):
    model = m.Participant
    extra = 0
    autocomplete_fields = ["organization"]


class AgendaItemInline(admin.StackedInline):
    model = m.AgendaItem
    extra = 0


@admin.register(m.Participant)
class ParticipantAdmin(VisibilityAdmin):
    scoped_by = ("session",)
    list_display = ["name", "organization", "affiliation", "session"]
    search_fields = ["name", "affiliation", "session__title"]
    list_select_related = ["organization", "session"]


@admin.register(m.AgendaItem)
class AgendaItemAdmin(ParticipantAdmin):
    list_display = ["topic", "session", "position"]
    list_filter = ["topic"]
    search_fields = ["note", "session__title"]
    list_select_related = ["session"]


@admin.register(m.DialogueSession)
class DialogueSessionAdmin(CreatedByAdmin):
    list_display = ["title", "held_on", "format", "forum", "status", "marking"]
    list_filter = ["status", "format", "forum", "marking", "sectors"]
    search_fields = ["title", "minutes"]
    date_hierarchy = "held_on"
    filter_horizontal = ["sectors", "participating_organizations", "chokepoints", "named_users"]
    inlines = [ParticipantInline, AgendaItemInline]


@admin.register(m.Threat)
class ThreatAdmin(CreatedByAdmin):
    list_display = [
        "title",
        "sector",
        "category",
        "likelihood",
        "impact",
        "severity",
        "status",
        "marking",
    ]
    list_filter = ["status", "marking", "sector", "category"]
    search_fields = ["title", "description"]
    list_select_related = ["sector", "category"]
    autocomplete_fields = ["source_session", "source_concern"]
    filter_horizontal = ["chokepoints", "named_users"]


@admin.register(m.ChokepointTechnology)
class ChokepointAdmin(CreatedByAdmin):
    list_display = [
        "name",
        "sector",
        "process_stage",
        "stage",
        "world_share_pct",
        "outflow_concern",
        "review_on",
        "marking",
    ]
    list_filter = ["process_stage", "survey", "stage", "outflow_concern", "marking", "sector"]
    search_fields = ["name", "description", "holders"]
    list_select_related = ["sector"]
    filter_horizontal = ["holder_organizations", "named_users"]


@admin.register(m.Dependency)
class DependencyAdmin(CreatedByAdmin):
    list_display = ["product", "sector", "country", "year", "share_pct", "basis", "marking"]
    list_filter = ["stage", "basis", "precision", "marking", "sector"]
    search_fields = ["product", "hs_code", "source"]
    list_select_related = ["sector"]
    filter_horizontal = ["threats", "concerns", "chokepoints", "named_users"]


class ConcernMessageInline(admin.StackedInline):
    model = m.ConcernMessage
    extra = 0
    fields = ["author", "body", "is_internal"]
    autocomplete_fields = ["author"]


@admin.register(m.Concern)
class ConcernAdmin(VisibilityAdmin):
    list_display = [
        "title",
        "organization",
        "sector",
        "category",
        "status",
        "marking",
        "created_at",
    ]
    list_filter = ["status", "marking", "desired_support", "sector", "category"]
    search_fields = ["title", "description", "organization__name"]
    list_select_related = ["organization", "sector", "category"]
    autocomplete_fields = ["organization", "submitted_by", "assigned_to"]
    filter_horizontal = ["named_users"]
    readonly_fields = ["version"]
    inlines = [ConcernMessageInline]


@admin.register(m.ConcernMessage)
class ConcernMessageAdmin(VisibilityAdmin):
    scoped_by = ("concern",)
    list_display = ["concern", "author", "is_internal", "created_at"]
    list_filter = ["is_internal"]
    search_fields = ["body", "concern__title"]
    list_select_related = ["concern", "author"]


@admin.register(m.ConcernAttachment)
class ConcernAttachmentAdmin(VisibilityAdmin):
    scoped_by = ("concern",)
    list_display = ["original_name", "concern", "content_type", "size", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "concern__title"]
    list_select_related = ["concern"]
    # Files are served only by the permission-checked download view, never by the admin.
    exclude = ["file"]
    readonly_fields = ["original_name", "content_type", "size", "sha256", "uploaded_by"]


@admin.register(m.FollowUpAction)
class FollowUpActionAdmin(CreatedByAdmin):
    list_display = ["title", "sector", "owner", "due_on", "status", "priority", "pillar", "marking"]
    list_filter = ["status", "priority", "pillar", "marking", "sector"]
    search_fields = ["title", "description"]
    list_select_related = ["sector", "owner"]
    date_hierarchy = "due_on"
    autocomplete_fields = ["owner", "owner_organization", "session", "threat", "concern"]
    filter_horizontal = ["named_users"]


class PlanRevisionItemInline(admin.TabularInline):
    model = m.PlanRevisionItem
    extra = 0
    readonly_fields = ["kind", "object_id", "sector", "marking", "data"]
    can_delete = False

    def get_queryset(self, request):
        # The lines of the reader's sectors and markings, as on the plan's own pages.
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.visible_to(request.user)


@admin.register(m.PlanRevision)
class PlanRevisionAdmin(CreatedByAdmin):
    list_display = ["label", "number", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["label", "notes"]
    readonly_fields = ["created_by"]
    inlines = [PlanRevisionItemInline]


class DeliveryAdmin(VisibilityAdmin):
    """Operations: what was owed, claimed, sent or failed. Read-only."""

    list_filter = ["sent_at", "attempts"]
    # No past versions are kept: the history page is Django's own (the admin log).
    object_history_template = "admin/object_history.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(m.Reminder)
class ReminderAdmin(DeliveryAdmin):
    scoped_by = ("action",)
    list_display = ["action", "kind", "due_on", "recipient", "sent_at", "attempts", "last_error"]
    list_filter = ["kind", "sent_at", "attempts"]
    search_fields = ["action__title", "recipient__username"]
    list_select_related = ["action", "recipient"]


@admin.register(m.ChokepointReviewReminder)
class ChokepointReviewReminderAdmin(DeliveryAdmin):
    scoped_by = ("chokepoint",)
    list_display = ["chokepoint", "review_on", "recipient", "sent_at", "attempts", "last_error"]
    search_fields = ["chokepoint__name", "recipient__username"]
    list_select_related = ["chokepoint", "recipient"]


@admin.register(m.Notification)
class NotificationAdmin(DeliveryAdmin):
    scoped_by = ("concern",)
    list_display = ["event", "concern", "recipient", "sent_at", "attempts", "last_error"]
    list_filter = ["event", "sent_at"]
    search_fields = ["event_key", "recipient__username"]
    list_select_related = ["concern", "recipient"]


@admin.register(m.Digest)
class DigestAdmin(DeliveryAdmin):
    list_display = ["recipient", "frequency", "period_start", "period_end", "marking", "sent_at"]
    list_filter = ["frequency", "period_start", "sent_at"]
    search_fields = ["recipient__username"]
    list_select_related = ["recipient"]
    exclude = ["content"]  # what one person may see; shown to that person in the workspace


@admin.register(m.JobRun)
class JobRunAdmin(DeliveryAdmin):
    list_display = ["kind", "started_at", "finished_at", "queued", "sent", "failed"]
    list_filter = ["kind", "started_at"]
    search_fields = ["token", "error"]


@admin.register(m.ExportJob)
class ExportJobAdmin(DeliveryAdmin):
    """Export jobs, their progress and failures (superusers see all, others their own).
    Files are downloaded by their requester only, through the permission-checked view."""

    list_display = ["kind", "format", "requested_by", "status", "progress", "rows", "created_at"]
    list_filter = ["status", "format", "kind"]
    search_fields = ["requested_by__username", "filename"]
    list_select_related = ["requested_by"]
    exclude = ["file"]


@admin.register(m.PortalSubmission)
class PortalSubmissionAdmin(VisibleLookupsMixin, admin.ModelAdmin):
    """The once-only ledger of portal forms: read-only, for looking into a reported duplicate."""

    list_display = ["key", "user", "concern", "message", "created_at"]
    list_select_related = ["user", "concern", "message"]
    search_fields = ["key", "user__username"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens, for superusers: who holds which, until when; delete one to revoke it.
    The keys are not stored, so not shown. Officials manage their own tokens on their
    account page, not here."""

    list_display = ["user", "name", "created_at", "expires_at", "last_used_at"]
    list_filter = ["expires_at"]
    search_fields = ["user__username", "name"]
    list_select_related = ["user"]
    fields = ["user", "name", "created_at", "expires_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        token_id = obj.pk
        super().delete_model(request, obj)
        obj.pk = token_id
        audit_token_revoked(request, obj, actor=request.user, reason="revoked_by_admin")

    def delete_queryset(self, request, queryset):
        tokens = list(queryset)
        super().delete_queryset(request, queryset)
        for token in tokens:
            audit_token_revoked(request, token, actor=request.user, reason="revoked_by_admin")


@admin.register(m.Notice)
class NoticeAdmin(VisibilityAdmin):
    """Outreach notices: written, published and withdrawn in the workspace (one service per
    step); here for browsing and their history."""

    list_display = ["title_ja", "kind", "status", "publish_on", "marking", "author"]
    list_filter = ["kind", "status", "marking", "sectors"]
    search_fields = ["title_ja", "title_en", "body_ja", "body_en"]
    list_select_related = ["author"]
    readonly_fields = ["version", "author", "published_at", "withdrawn_at"]
    filter_horizontal = ["sectors", "threat_categories", "foreign_measures", "best_practices"]


@admin.register(m.NoticeRead)
class NoticeReadAdmin(DeliveryAdmin):
    """Read receipts: who opened which notice, when."""

    scoped_by = ("notice",)
    list_display = ["notice", "user", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["notice__title_ja", "user__username"]
    list_select_related = ["notice", "user"]


@admin.register(m.NoticeMail)
class NoticeMailAdmin(DeliveryAdmin):
    scoped_by = ("notice",)
    list_display = ["notice", "recipient", "sent_at", "attempts", "last_error"]
    search_fields = ["notice__title_ja", "recipient__username"]
    list_select_related = ["notice", "recipient"]


@admin.register(m.SupportOrganization)
class SupportOrganizationAdmin(VisibilityAdmin):
    list_display = ["name_ja", "abbreviation", "name_en", "is_active"]
    list_filter = ["is_active", "threat_categories"]
    search_fields = ["name_ja", "name_en", "abbreviation", "description_ja", "description_en"]
    filter_horizontal = ["threat_categories", "sectors"]


@admin.register(m.SupportScheme)
class SupportSchemeAdmin(VisibilityAdmin):
    list_display = ["name_ja", "organization", "name_en", "is_active"]
    list_filter = ["is_active", "organization", "threat_categories"]
    search_fields = ["name_ja", "name_en", "description_ja", "description_en"]
    filter_horizontal = ["threat_categories", "sectors"]
    list_select_related = ["organization"]


@admin.register(m.ReplyTemplate)
class ReplyTemplateAdmin(VisibilityAdmin):
    """Replies officials start from on a concern's page, per sector or for every sector."""

    list_display = ["title", "sector", "updated_at"]
    list_filter = ["sector"]
    search_fields = ["title", "body"]


@admin.register(m.Referral)
class ReferralAdmin(VisibilityAdmin):
    scoped_by = ("concern",)
    list_display = ["concern", "number", "support_organization", "support_scheme", "status"]
    list_filter = ["status"]
    list_select_related = ["concern", "support_organization", "support_scheme"]


@admin.register(m.ReferralReminder)
class ReferralReminderAdmin(DeliveryAdmin):
    scoped_by = ("referral",)
    list_display = ["referral", "wait", "waiting_since", "recipient", "sent_at", "attempts"]
    list_filter = ["wait", "sent_at", "attempts"]
    search_fields = ["recipient__username"]
    list_select_related = ["referral", "recipient"]
