"""On PostgreSQL, refuse UPDATE and DELETE on audit rows in the database itself, whoever
sends them (raw SQL, another application, a careless migration). TRUNCATE is not blocked:
test runners flush tables with it, and only the table owner or a superuser may run it.
On SQLite nothing is installed: the ORM guard in models.AppendOnlyModel is the protection."""

from django.db import migrations

FUNCTION = "kenes_audit_append_only"
MODELS = ("Event", "Block", "Seal")


def _tables(apps):
    return [apps.get_model("audit", name)._meta.db_table for name in MODELS]


def _trigger_name(table):
    return f"{table}_append_only"


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            RAISE EXCEPTION 'audit rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'restrict_violation';
        END;
        $body$
        """,
        params=None,
    )
    for table in _tables(apps):
        schema_editor.execute(
            f"CREATE TRIGGER {quote(_trigger_name(table))} BEFORE UPDATE OR DELETE ON {quote(table)} "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
            params=None,
        )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for table in _tables(apps):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {quote(_trigger_name(table))} ON {quote(table)}", params=None)
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
