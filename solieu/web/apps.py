from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "solieu.web"
    verbose_name = "Giao diện"
