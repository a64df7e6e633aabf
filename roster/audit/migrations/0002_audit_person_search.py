"""Trigram indexes for Activity's person filter on PostgreSQL (a no-op on SQLite).

The filter is `icontains` on who acted or whom it concerned, which Django writes as
UPPER(col::text) LIKE UPPER('%…%'); these expression indexes match that exactly.
"""

from django.db import migrations

COLUMNS = ("actor_label", "account_label")


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS audit_{column}_trgm ON audit_auditentry "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS audit_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_log")]
    operations = [migrations.RunPython(create, drop)]
