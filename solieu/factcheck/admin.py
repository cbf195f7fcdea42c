from django.contrib import admin

from .models import ExtractedStatement, SourceDocument


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["name", "period_code", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["name"]
    exclude = ["lines"]
    readonly_fields = ["sha256", "size", "uploaded_by", "uploaded_at"]


@admin.register(ExtractedStatement)
class ExtractedStatementAdmin(admin.ModelAdmin):
    list_display = ["document", "line", "indicator", "value", "period_code", "review"]
    list_filter = ["review", "document"]
    search_fields = ["quote", "indicator_text"]
    raw_id_fields = ["indicator", "data_value"]
