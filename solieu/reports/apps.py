from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "solieu.reports"
    verbose_name = "Báo cáo tổng hợp"
    default_auto_field = "django.db.models.BigAutoField"
