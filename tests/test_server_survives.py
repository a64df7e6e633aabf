"""The documented web server command (docs/operations.md) survives a worker that aborts.

Without `--respawn-failed-workers`, one granian worker that dies (SIGABRT from a library,
the kernel's OOM killer) makes granian shut down entirely, and every organization gets
"connection refused" (issue 11, finding 1). This runs the command exactly as documented,
with only the address and the application swapped for a test one that aborts on request.
(Granian still exits when a worker it respawned dies again within 5.5 s, its crash-loop
guard: docs/operations.md says to run it under a supervisor that restarts it.)
"""

import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def documented_web_command() -> list[str]:
    text = (ROOT / "docs" / "operations.md").read_text()
    match = re.search(r"^\| web \| `(granian [^`]+)`", text, re.MULTILINE)
    assert match, "docs/operations.md has no web process row"
    return shlex.split(match.group(1))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode())
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def test_the_documented_server_command_replaces_a_worker_that_aborts() -> None:
    port = free_port()
    command = documented_web_command()
    assert "--respawn-failed-workers" in command
    command[command.index("--host") + 1] = "127.0.0.1"
    command[command.index("--port") + 1] = str(port)
    command[-1] = "tests.server_abort_app:application"
    granian = str(Path(sys.executable).with_name("granian"))
    server = subprocess.Popen(
        [granian, *command[1:], "--respawn-interval", "0.5"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while get(base + "/") is None:
            assert server.poll() is None and time.monotonic() < deadline, "granian did not start"
            time.sleep(0.1)
        before = {get(base + "/") for _ in range(20)}
        assert get(base + "/abort") is None  # that worker is gone, and its request with it
        answered: set[str | None] = set()
        deadline = time.monotonic() + 15
        while not answered - before - {None} and time.monotonic() < deadline:
            assert server.poll() is None, "granian shut down after one worker aborted"
            answered.add(get(base + "/"))
            time.sleep(0.1)
        assert answered - before - {None}, "no new worker took the dead one's place"
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=10)
