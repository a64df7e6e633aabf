"""The Activity page's entries as CSV, streamed, formula-safe (report.neutralise)."""

import csv
import json
from collections.abc import Iterable, Iterator

from roster.audit.describe import describe
from roster.audit.models import AuditEntry
from roster.importing.report import neutralise

COLUMNS = ("When (UTC)", "Who", "Door", "Address", "Action", "Import", "Account", "What", "Detail")
_BOM = "\ufeff"
LINES_PER_CHUNK = 500  # Excel reads a CSV as UTF-8 only when it starts with a byte order mark


class _Line:
    """csv.writer's stream: hands back each line instead of keeping it."""

    def write(self, text: str) -> str:
        return text


_WRITER = csv.writer(_Line())


def csv_lines(entries: Iterable[AuditEntry]) -> Iterator[str]:
    """One line per entry, every cell neutralised as the issues report's are; handed on
    LINES_PER_CHUNK at a time (a chunk per line costs the server more than the line)."""
    chunk = [_BOM + _WRITER.writerow(COLUMNS)]
    for entry in entries:
        chunk.append(_line(entry))
        if len(chunk) >= LINES_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


def _line(entry: AuditEntry) -> str:
    cells = (
        entry.at.strftime("%Y-%m-%d %H:%M:%S"),
        entry.actor_label or "System",
        entry.door_label,
        entry.ip or "",
        entry.action_label,
        str(entry.import_job_id or ""),
        entry.account_label,
        describe(entry),
        json.dumps(entry.detail, ensure_ascii=False, sort_keys=True),
    )
    return str(_WRITER.writerow([neutralise(cell) for cell in cells]))
