from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "solieu.ops"
    verbose_name = "Vận hành"
