from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from config.generations import SiteGenerationAdminMixin
from tasks.models import Assessment, Commitment, Sector, Task


class CommitmentInline(admin.TabularInline):
    model = Commitment
    fields = ("code", "position", "title_en", "kind")
    extra = 0
    show_change_link = True


@admin.register(Task)
class TaskAdmin(SiteGenerationAdminMixin, SimpleHistoryAdmin):
    list_display = ("number", "title_en", "title_zh", "slug")
    search_fields = ("title_en", "title_zh", "summary_en", "article_text")
    prepopulated_fields = {"slug": ("title_en",)}
    inlines = [CommitmentInline]


class AssessmentInline(admin.TabularInline):
    model = Assessment
    fields = ("assessed_on", "status", "note", "assessed_by")
    readonly_fields = ("assessed_by",)
    extra = 0
    show_change_link = True


@admin.register(Commitment)
class CommitmentAdmin(SiteGenerationAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "title_en", "task", "kind")
    list_filter = ("task", "kind", "sectors")
    search_fields = ("code", "title_en", "title_zh", "article_quote")
    filter_horizontal = ("sectors",)
    inlines = [AssessmentInline]
    list_select_related = ("task",)


@admin.register(Assessment)
class AssessmentAdmin(SiteGenerationAdminMixin, SimpleHistoryAdmin):
    list_display = ("commitment", "status", "assessed_on", "assessed_by")
    list_filter = ("status", "commitment__task")
    search_fields = ("commitment__code", "commitment__title_en", "note")
    autocomplete_fields = ("commitment",)
    list_select_related = ("commitment", "assessed_by")
    date_hierarchy = "assessed_on"


@admin.register(Sector)
class SectorAdmin(SiteGenerationAdminMixin, SimpleHistoryAdmin):
    list_display = ("name_en", "name_zh", "slug", "is_aggregate")
    list_filter = ("is_aggregate",)
    search_fields = ("name_en", "name_zh", "slug")
