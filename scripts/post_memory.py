"""Peak memory of one process that answers an anonymous POST of SIZE_MB to a login page.

The body is produced as it is read (nothing of it exists before the server reads it) and
carries a wrong CSRF token, as in issue 11's finding 3. Prints the status, the bytes the
server read and the process's peak resident memory (VmHWM) before and after:

    DEBUG=0 SECRET_KEY=x ALLOWED_HOSTS=testserver .venv/bin/python scripts/post_memory.py 250
"""

import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Body:
    def __init__(self, size: int) -> None:
        self.size, self.read_bytes = size, 0

    def read(self, size: int = -1) -> bytes:
        left = self.size - self.read_bytes
        wanted = left if size is None or size < 0 else min(size, left)
        self.read_bytes += wanted
        return b"a" * wanted

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def main(size_mb: int) -> None:
    from config.wsgi import application

    size = size_mb * 1024 * 1024
    body = Body(size)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/o/northside/login/",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": "csrftoken=" + "x" * 32,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(size),
        "wsgi.input": body,
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    before = peak_mb()
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
        statuses.append(status)
        return lambda data: None

    result = application(environ, start_response)
    b"".join(result)
    print(f"{statuses[0]}; read {body.read_bytes:,} of {size:,} bytes;")
    print(f"peak memory {before:.0f} MB before the request, {peak_mb():.0f} MB after")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 250)
