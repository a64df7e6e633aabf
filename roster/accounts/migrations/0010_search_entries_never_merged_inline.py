from django.db import migrations

INDEX = "account_search_text_trgm"


def never_merged_inline(apps, schema_editor):
    """The search index's pending list is never merged by an insert (PostgreSQL only).

    With the default limit (4 MB), the first insert after a big import, by any
    organization, merged the whole pending list inside its own request: 2.75 s for one
    Add User after 1,000,000 students (search_index.py). The most PostgreSQL takes (2 TB;
    2 GB where C's long is 32 bits) means never; the merge task and the minute's sweep
    merge it instead.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT max_val FROM pg_settings WHERE name = 'gin_pending_list_limit'")
        most = int(cursor.fetchone()[0])
    schema_editor.execute(f"ALTER INDEX {INDEX} SET (gin_pending_list_limit = {most})")


def merged_at_the_usual_limit(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER INDEX {INDEX} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0009_reminders")]

    operations = [migrations.RunPython(never_merged_inline, merged_at_the_usual_limit)]
