"""The account trail (accounts.AccountEvent) is append-only on PostgreSQL too; see 0001."""

import importlib

from django.db import migrations

first = importlib.import_module("solieu.ops.migrations.0001_append_only_triggers")
TABLE, USER_COLUMNS = "accounts_accountevent", ["user_id", "actor_id"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(first.trigger_sql(TABLE, USER_COLUMNS), params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("ops", "0001_append_only_triggers"),
        ("accounts", "0002_totp_and_account_events"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
