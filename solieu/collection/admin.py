"""Figures are visible to administrators but changed only through the audited paths."""

from django.contrib import admin

from .models import DataValue, DataValueAudit


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DataValue)
class DataValueAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "option", "unit", "period", "value", "status", "channel", "updated_at"]
    list_filter = ["status", "channel", "indicator__sector", "period__type"]
    search_fields = ["indicator__code", "indicator__name", "unit__code", "unit__name", "period__code"]
    list_select_related = ["indicator", "option", "unit", "period"]


@admin.register(DataValueAudit)
class DataValueAuditAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "indicator_code", "unit_code", "period_code", "old_value", "new_value",
                    "channel", "user"]
    list_filter = ["action", "channel"]
    search_fields = ["indicator_code", "unit_code", "period_code", "source"]


from .models import AdHocRequest, Submission, SubmissionEvent, ValidationRule  # noqa: E402


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["form", "unit", "period", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "form", "period__type"]
    search_fields = ["form__code", "unit__code", "unit__name", "period__code"]
    list_select_related = ["form", "unit", "period"]


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "submission", "user", "note"]
    list_filter = ["action"]
    search_fields = ["submission__unit__code", "submission__form__code", "note"]


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    list_display = ["form", "code", "left", "operator", "right", "level", "missing"]
    list_filter = ["form", "level", "operator"]
    search_fields = ["code", "left", "right", "message", "form__code"]


@admin.register(AdHocRequest)
class AdHocRequestAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "form", "deadline", "created_by", "override_by"]
    search_fields = ["code", "title", "reason"]
