from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "solieu.accounts"
    verbose_name = "Tài khoản và phân quyền"

    def ready(self):
        from . import signals

        signals.connect()
