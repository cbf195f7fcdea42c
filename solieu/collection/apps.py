from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "solieu.collection"
    verbose_name = "Thu thập số liệu"
