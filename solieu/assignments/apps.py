from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    name = "solieu.assignments"
    verbose_name = "Theo dõi nhiệm vụ"
    default_auto_field = "django.db.models.BigAutoField"
