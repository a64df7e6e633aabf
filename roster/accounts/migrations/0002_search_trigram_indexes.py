"""Trigram indexes for User Management's search on PostgreSQL (a no-op on SQLite).

The search is `icontains` on four columns, which Django writes as
UPPER(col::text) LIKE UPPER('%…%'); these expression indexes match that exactly.
"""

from django.db import migrations

COLUMNS = ("first_name", "last_name", "email", "username")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS account_{column}_trgm ON accounts_account "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS account_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
