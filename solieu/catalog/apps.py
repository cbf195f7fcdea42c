from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "solieu.catalog"
    verbose_name = "Danh mục"
