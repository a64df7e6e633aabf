"""The one way past the append-only trigger: deleting an organization with its log.

Entries go with their organization (the foreign key cascades) and never otherwise. On
PostgreSQL the trigger refuses that cascade too unless the transaction says it means it.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def organization_deletion() -> Iterator[None]:
    """Within this block (one transaction), deleting organizations deletes their entries."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('roster.audit_purge', 'on', true)")
        yield
