"""The catalog stamp (CatalogStamp) and the triggers that renew its token.

Every INSERT, UPDATE or DELETE on a table a form's specification is read from gives the stamp
a new random token, in the same transaction: processes caching specifications
(collection/entry.py) compare it and rebuild. Triggers rather than model signals, so that
QuerySet.update, bulk writes and raw SQL invalidate too.

SQLite rebuilds a table to alter it and its triggers go with it: a later migration that alters
one of TABLES must call `install_triggers` again (the cache's tests fail otherwise).
"""

import secrets

from django.db import migrations, models

TABLES = [
    "catalog_form", "catalog_formrow", "catalog_formdeadline", "catalog_indicator", "catalog_disaggregation",
    "catalog_disaggregationoption", "collection_validationrule",
]
STAMP = "catalog_catalogstamp"

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION solieu_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {STAMP} (id, token) VALUES (1, md5(random()::text || clock_timestamp()::text))
    ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END
$$;
"""


def install_triggers(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run(POSTGRES_FUNCTION, params=None)
        for table in TABLES:
            run(f"DROP TRIGGER IF EXISTS {table}_catalog_changed ON {table}", params=None)
            run(f"CREATE TRIGGER {table}_catalog_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION solieu_catalog_changed()", params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                name = f"{table}_catalog_changed_{event.lower()}"
                run(f"DROP TRIGGER IF EXISTS {name}", params=None)
                run(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN "
                    f"INSERT OR REPLACE INTO {STAMP} (id, token) VALUES (1, lower(hex(randomblob(16)))); END",
                    params=None)
    apps.get_model("catalog", "CatalogStamp").objects.update_or_create(pk=1, defaults={"token": secrets.token_hex(16)})


def drop_triggers(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            run(f"DROP TRIGGER IF EXISTS {table}_catalog_changed ON {table}", params=None)
        run("DROP FUNCTION IF EXISTS solieu_catalog_changed()", params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                run(f"DROP TRIGGER IF EXISTS {table}_catalog_changed_{event}", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_indicator_change_warning_pct_indicator_max_value_and_more'),
        ('collection', '0002_adhocrequest_submission_datavalue_submission_and_more'),  # collection_validationrule
    ]

    operations = [
        migrations.CreateModel(
            name='CatalogStamp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=64, verbose_name='dấu phiên bản danh mục')),
            ],
            options={
                'verbose_name': 'dấu phiên bản danh mục',
                'verbose_name_plural': 'dấu phiên bản danh mục',
            },
        ),
        migrations.RunPython(install_triggers, drop_triggers, elidable=False),
    ]
