from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    name = "solieu.factcheck"
    verbose_name = "Kiểm tra số liệu báo cáo cũ"
    default_auto_field = "django.db.models.BigAutoField"
