"""Peak memory of parsing an admin's Add Multiple Users form with SIZE_MB of pasted text.

`roster` parses it as Roster does (roster.web.request_limits.ImportFormHandler); `django`
with Django's own multipart parser, as before issue 11 (its limit raised for the paste).
The body is produced as it is read. Prints the text's length and the process's peak
resident memory (VmHWM) before and after:

    .venv/bin/python scripts/paste_memory.py roster 100
    .venv/bin/python scripts/paste_memory.py django 100
"""

import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

BOUNDARY = "roster-boundary"
LINE = b"First,Last,first.last@example.com\n"


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Body:
    """head, then `lines` copies of LINE, then tail; made as it is read."""

    def __init__(self, head: bytes, lines: int, tail: bytes) -> None:
        self.pending = head
        self.lines, self.tail = lines, tail

    def read(self, size: int = -1) -> bytes:
        size = 1 << 30 if size is None or size < 0 else size
        while len(self.pending) < size and (self.lines or self.tail):
            if self.lines:
                batch = min(self.lines, 2048)
                self.pending += LINE * batch
                self.lines -= batch
            else:
                self.pending, self.tail = self.pending + self.tail, b""
        data, self.pending = self.pending[:size], self.pending[size:]
        return data

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def main(mode: str, size_mb: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIRequest

    from roster.web.request_limits import ImportFormHandler

    lines = size_mb * 1024 * 1024 // len(LINE)
    head = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="student_text"\r\n\r\n').encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    length = len(head) + lines * len(LINE) + len(tail)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(length),
        "wsgi.input": Body(head, lines, tail),
    }
    request = WSGIRequest(environ)
    if mode == "roster":
        request.upload_handlers = [ImportFormHandler(request)]
    else:
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = length + 1
    before = peak_mb()
    text = request.POST["student_text"]
    print(f"{mode}: {len(text):,} characters of pasted text")
    print(f"peak memory {before:.0f} MB before parsing, {peak_mb():.0f} MB after")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100)
