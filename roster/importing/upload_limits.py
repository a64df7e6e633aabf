"""The readers' limits as this installation configures them (settings IMPORT_MAX_*)."""

from django.conf import settings

from roster.importing.sources import Limits


def upload_limits() -> Limits:
    """What every door (web, command line, tasks) passes to the readers."""
    return Limits(
        max_bytes=settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024,
        max_rows=settings.IMPORT_MAX_ROWS,
        max_columns=settings.IMPORT_MAX_COLUMNS,
        max_cell_chars=settings.IMPORT_MAX_CELL_CHARS,
        max_parse_bytes=settings.IMPORT_WORKBOOK_MEMORY_MB * 1024 * 1024,
    )
