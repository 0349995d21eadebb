from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from config.generations import SiteGenerationAdminMixin
from indicators.models import (
    CommitmentIndicator,
    CommitmentStatusChange,
    Disagreement,
    Geography,
    Indicator,
    IngestRun,
    Observation,
    ObservationRevision,
    Source,
    Target,
)
from indicators.tasks import record_commitment_statuses
from tasks.admin import CommitmentAdmin
from tasks.models import Commitment


@admin.register(Source)
class SourceAdmin(SiteGenerationAdminMixin, SimpleHistoryAdmin):
    list_display = ("key", "name", "publisher", "licence", "connector")
    list_filter = ("connector", "licence")
    search_fields = ("key", "name", "publisher")


@admin.register(Geography)
class GeographyAdmin(SiteGenerationAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name_en", "name_zh", "kind", "position")
    list_filter = ("kind",)
    search_fields = ("code", "name_en", "name_zh")


class TargetInline(admin.StackedInline):
    model = Target
    extra = 0


class CommitmentLinkInline(admin.TabularInline):
    model = CommitmentIndicator
    fields = ("commitment", "reason")
    autocomplete_fields = ("commitment",)
    extra = 0


class RecordsCommitmentStatusesMixin:
    """Targets, an indicator's kind and direction, and commitment links decide computed statuses: an admin edit
    records the statuses it moves once it commits, as a change to published data does."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_commitment_statuses.delay_on_commit()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        record_commitment_statuses.delay_on_commit()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        record_commitment_statuses.delay_on_commit()


class IndicatorLinkInline(admin.TabularInline):
    model = CommitmentIndicator
    fields = ("indicator", "reason")
    autocomplete_fields = ("indicator",)
    extra = 0


# The commitment's page lists the indicators that measure it; the link lives here because indicators depend on
# tasks, never the other way round.
admin.site.unregister(Commitment)


@admin.register(Commitment)
class CommitmentWithIndicatorsAdmin(RecordsCommitmentStatusesMixin, CommitmentAdmin):
    list_display = (*CommitmentAdmin.list_display, "indicator_count")
    inlines = [IndicatorLinkInline, *CommitmentAdmin.inlines]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_indicators=Count("indicator_links"))

    @admin.display(description="indicators", ordering="_indicators")
    def indicator_count(self, obj):
        return obj._indicators


@admin.register(Indicator)
class IndicatorAdmin(RecordsCommitmentStatusesMixin, SiteGenerationAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name_en", "source", "frequency", "arrival", "unit", "last_success_at")
    list_filter = ("arrival", "frequency", "source", "headline_for", "sectors")
    search_fields = ("code", "name_en", "name_zh", "source_series_code")
    list_select_related = ("source",)
    filter_horizontal = ("sectors", "geographies")
    readonly_fields = ("last_success_at", "data_version")
    inlines = [CommitmentLinkInline, TargetInline]


@admin.register(Target)
class TargetAdmin(RecordsCommitmentStatusesMixin, SiteGenerationAdminMixin, SimpleHistoryAdmin):
    list_display = ("indicator", "kind", "value", "value_high", "base_year", "target_year", "document_title")
    list_filter = ("kind", "target_year")
    search_fields = ("indicator__code", "document_title", "clause_quote")
    autocomplete_fields = ("indicator",)
    list_select_related = ("indicator",)


class RevisionInline(admin.TabularInline):
    model = ObservationRevision
    fields = (
        "replaced_at",
        "old_value",
        "new_value",
        "reason",
        "old_vintage",
        "replaced_by_run",
        "replaced_by_user",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Observation)
class ObservationAdmin(SiteGenerationAdminMixin, admin.ModelAdmin):
    """Values are read here and changed in the analyst workspace, whose service keeps every change in history."""

    list_display = ("indicator", "geography", "period", "value", "origin", "vintage", "revision_count", "workspace")
    list_filter = ("origin", "indicator__source", "geography", "is_provisional", "is_break")
    search_fields = ("indicator__code", "citation", "vintage")
    list_select_related = ("indicator", "geography")
    date_hierarchy = "period"
    readonly_fields = [f.name for f in Observation._meta.fields]
    inlines = [RevisionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="history and corrections")
    def workspace(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("entry:observation_history", args=[obj.pk]), "open")


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = (
        "started_at",
        "source",
        "indicator",
        "trigger",
        "outcome",
        "rows_created",
        "rows_revised",
        "rows_unchanged",
        "rows_skipped",
    )
    list_filter = ("outcome", "source", "trigger")
    search_fields = ("indicator__code", "error")
    list_select_related = ("source", "indicator")
    readonly_fields = [f.name for f in IngestRun._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Disagreement)
class DisagreementAdmin(admin.ModelAdmin):
    list_display = (
        "observation",
        "source_value",
        "analyst_value",
        "recorded_at",
        "resolved_at",
        "resolution",
    )
    list_filter = ("resolution",)
    list_select_related = ("observation__indicator", "observation__geography")


@admin.register(CommitmentStatusChange)
class CommitmentStatusChangeAdmin(admin.ModelAdmin):
    """Read only: the rows are the record the status job keeps; editing one would rewrite the feed's history."""

    list_display = ("recorded_at", "commitment", "status_from", "status_to", "deciding_indicator")
    list_filter = ("status_to", "commitment__task")
    search_fields = ("commitment__code", "deciding_indicator__code")
    list_select_related = ("commitment", "deciding_indicator")
    readonly_fields = [f.name for f in CommitmentStatusChange._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
