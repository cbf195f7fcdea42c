from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "solieu.analytics"
    verbose_name = "Tổng hợp, phân tích"

    def ready(self):
        from . import signals  # noqa: F401
