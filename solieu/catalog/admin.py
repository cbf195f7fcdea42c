"""Vietnamese admin for the whole catalog, with search and filters on what officers look for."""

from django.contrib import admin

from . import models


@admin.register(models.Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sort_order"]
    search_fields = ["code", "name"]
    ordering = ["sort_order"]


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sector", "unit", "aggregation", "time_aggregation", "active"]
    list_filter = ["sector", "aggregation", "time_aggregation", "value_type", "active"]
    search_fields = ["code", "name", "short_name", "description"]
    autocomplete_fields = ["numerator", "denominator"]
    list_select_related = ["sector"]


class OptionInline(admin.TabularInline):
    model = models.DisaggregationOption
    extra = 0


@admin.register(models.Disaggregation)
class DisaggregationAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    inlines = [OptionInline]


class ProvincePredecessorInline(admin.TabularInline):
    model = models.ProvinceSuccession
    fk_name = "successor"
    extra = 0
    verbose_name = "tỉnh hình thành nên tỉnh này"
    verbose_name_plural = "các tỉnh hình thành nên tỉnh này"
    autocomplete_fields = ["predecessor"]


@admin.register(models.Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_city", "valid_from", "valid_to"]
    list_filter = ["is_city", "valid_to", "valid_from"]
    search_fields = ["code", "name"]
    inlines = [ProvincePredecessorInline]


class UnitPredecessorInline(admin.TabularInline):
    model = models.UnitSuccession
    fk_name = "successor"
    extra = 0
    verbose_name = "đơn vị tiền thân"
    verbose_name_plural = "các đơn vị tiền thân"
    autocomplete_fields = ["predecessor"]


@admin.register(models.ReportingUnit)
class ReportingUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "valid_from", "valid_to"]
    list_filter = ["kind", "sectors", "valid_to"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent", "province"]
    list_select_related = ["province"]
    inlines = [UnitPredecessorInline]


class DeadlineInline(admin.TabularInline):
    model = models.FormDeadline
    extra = 0


class RowInline(admin.TabularInline):
    model = models.FormRow
    fk_name = "form"
    extra = 0
    autocomplete_fields = ["indicator"]
    fields = ["sort_order", "code", "indicator", "label", "parent", "is_total", "disaggregation", "required"]


class AssignmentInline(admin.TabularInline):
    model = models.FormAssignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(models.Form)
class FormAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "name", "sector", "regime", "period_type", "active"]
    list_filter = ["sector", "regime", "period_type", "active"]
    search_fields = ["code", "name"]
    inlines = [DeadlineInline, RowInline, AssignmentInline]


@admin.register(models.Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "type", "start_date", "end_date"]
    list_filter = ["type"]
    search_fields = ["code"]


@admin.register(models.Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "province", "value", "source"]
    list_filter = ["year", "indicator__sector"]
    search_fields = ["indicator__code", "indicator__name", "source"]
    autocomplete_fields = ["indicator", "province"]
    list_select_related = ["indicator", "province"]
