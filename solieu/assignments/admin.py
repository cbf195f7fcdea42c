"""Tasks are kept in the admin too (adding one, correcting a title or a deadline); every change
made there goes into the task's history like the units' updates, and bumps its revision."""

from django.contrib import admin
from django.db import models

from solieu.collection.admin import ReadOnlyAdmin

from .changes import record
from .deadlines import DeadlineError, parse_deadline
from .models import ProgressNote, RequiredResult, SourceDocument, Task, TaskChange, TaskReminder


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["kind", "number", "issued_on", "issuer", "title"]
    list_filter = ["kind"]
    search_fields = ["number", "title", "issuer"]


class RequiredResultInline(admin.TabularInline):
    model = RequiredResult
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["position", "description", "deadline_text", "deadline_kind", "deadline_date", "status", "done_on",
              "evidence", "evidence_link"]


def _shown(value):
    if hasattr(value, "all"):
        return ", ".join(str(v) for v in value.all())
    return "" if value is None else str(value)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["__str__", "responsible_unit", "sector", "priority", "document", "cancelled_on"]
    list_filter = ["sector", "priority", "document"]
    search_fields = ["title", "responsible_unit__name", "responsible_unit__code"]
    autocomplete_fields = ["responsible_unit", "cooperating_units", "document"]
    readonly_fields = ["revision", "created_at", "created_by", "updated_at", "updated_by"]
    inlines = [RequiredResultInline]

    def save_model(self, request, obj, form, change):
        old = Task.objects.get(pk=obj.pk) if change else None
        if change:
            obj.revision += 1
        else:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            record(obj, request.user, "Tạo nhiệm vụ", "", str(obj), source="Quản trị")
            return
        for name in form.changed_data:
            if name == "cooperating_units":
                record(obj, request.user, form.fields[name].label, _shown(old.cooperating_units),
                       ", ".join(str(u) for u in form.cleaned_data[name]), source="Quản trị")
            else:
                record(obj, request.user, form.fields[name].label, _shown(getattr(old, name)),
                       _shown(getattr(obj, name)), source="Quản trị")

    def save_formset(self, request, form, formset, change):
        task = form.instance
        before = {r.pk: r for r in RequiredResult.objects.filter(task=task)}
        for result_form in formset.forms:
            result = result_form.instance
            if result_form.cleaned_data.get("deadline_text") and "deadline_text" in result_form.changed_data \
                    and "deadline_date" not in result_form.changed_data:
                try:
                    deadline = parse_deadline(result.deadline_text, task.document.year if task.document_id else None)
                except DeadlineError:
                    continue
                result.deadline_kind, result.deadline_date = deadline.kind, deadline.date
        super().save_formset(request, form, formset, change)
        for result_form in formset.forms:
            result = result_form.instance
            if result.pk is None or not result_form.has_changed():
                continue
            old = before.get(result.pk)
            for name in result_form.changed_data:
                record(task, request.user, f"Kết quả {result.position}: {result_form.fields[name].label}",
                       _shown(getattr(old, name)) if old else "", _shown(getattr(result, name)), result=result,
                       source="Quản trị")


@admin.register(ProgressNote)
class ProgressNoteAdmin(ReadOnlyAdmin):
    list_display = ["at", "task", "text", "by"]


@admin.register(TaskChange)
class TaskChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "task", "field", "old", "new", "user", "source"]
    search_fields = ["field", "old", "new"]


@admin.register(TaskReminder)
class TaskReminderAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "result", "stage", "recipients"]
