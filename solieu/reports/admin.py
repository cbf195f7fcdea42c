from django.contrib import admin

from .models import Narrative, ReportFile


@admin.register(Narrative)
class NarrativeAdmin(admin.ModelAdmin):
    list_display = ["period_code", "scope_code", "sector", "part", "updated_by", "updated_at"]
    list_filter = ["part", "sector"]
    search_fields = ["period_code", "text"]
    readonly_fields = ["revision", "updated_by", "updated_at"]


@admin.register(ReportFile)
class ReportFileAdmin(admin.ModelAdmin):
    """Documents made by the worker; old ones may be deleted here."""

    list_display = ["filename", "fmt", "status", "progress", "created_by", "created_at", "finished_at"]
    list_filter = ["status", "fmt"]
    exclude = ["content"]
    readonly_fields = ["params", "fmt", "status", "progress", "stage", "filename", "error", "created_by",
                       "created_at", "finished_at"]

    def has_add_permission(self, request):
        return False
