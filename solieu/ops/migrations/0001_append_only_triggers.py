"""PostgreSQL triggers that refuse UPDATE and DELETE on the audit trails (see ops/audit.py).

Two exceptions: a transaction that called audit.allow_pruning() may delete (load_demo
replacing generated data), and the columns naming a user may be set to NULL when that user
is deleted (Django's SET_NULL), nothing else in the row changing. Nothing on SQLite: its test
flush deletes rows, and the Python guards on the models apply there.
"""

from django.db import migrations

# table -> user columns Django sets to NULL when the user is deleted
TABLES = {
    "collection_datavalueaudit": ["user_id"],
    "collection_submissionevent": ["user_id"],
    "assignments_taskchange": ["user_id"],
    "assignments_progressnote": ["by_id"],
}

FUNCTION = """
CREATE OR REPLACE FUNCTION solieu_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    detached boolean := false;
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('solieu.prune_audit', true) = 'on' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        old_row := to_jsonb(OLD);
        new_row := to_jsonb(NEW);
        FOR i IN 0 .. TG_NARGS - 1 LOOP
            IF jsonb_typeof(new_row -> TG_ARGV[i]) = 'null' THEN
                detached := detached OR jsonb_typeof(old_row -> TG_ARGV[i]) <> 'null';
                old_row := old_row - TG_ARGV[i];
                new_row := new_row - TG_ARGV[i];
            END IF;
        END LOOP;
        IF detached AND old_row = new_row THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'Bảng % chỉ được ghi thêm, không được sửa hay xóa (%).', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def trigger_sql(table, user_columns):
    args = ", ".join(f"'{c}'" for c in user_columns)
    return (f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION solieu_append_only({args})")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table, columns in TABLES.items():
        schema_editor.execute(trigger_sql(table, columns), params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}", params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS solieu_append_only()", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("collection", "0003_reminder"),
        ("assignments", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
