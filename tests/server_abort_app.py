"""A WSGI application for tests/test_server_survives.py: `/abort` ends its worker process the
way a library's failed allocation does (SIGABRT, which no Python code can catch); every
other path answers with the worker's process id."""

import os
from collections.abc import Callable, Iterable
from typing import Any


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ.get("PATH_INFO") == "/abort":
        os.abort()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]
