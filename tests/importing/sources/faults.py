"""Workbook children that die or answer oddly, for the isolation tests (sources/isolated.py).

Kept apart from Django: the fork server's child imports this module to run them.
"""

import marshal
import os
import signal
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any


def aborts(sender: Connection, arguments: dict[str, Any]) -> None:
    os.abort()


def killed_while_rows_are_read(sender: Connection, arguments: dict[str, Any]) -> None:
    sender.send_bytes(marshal.dumps(("tables", None, [], [("S", ["Email"], 1)])))
    os.kill(os.getpid(), signal.SIGKILL)


# Checking children (isolated.CHECKER) for the tests of the checks' verdict.


def refuses(sender: Connection, arguments: dict[str, Any]) -> None:
    sender.send_bytes(marshal.dumps(("error", "too_many_rows", "Refused by the checks.")))


def refuses_after_a_moment(sender: Connection, arguments: dict[str, Any]) -> None:
    time.sleep(0.3)
    refuses(sender, arguments)


def refuses_late(sender: Connection, arguments: dict[str, Any]) -> None:
    """Refuses a moment after the parent has read a row (the test leaves a flag then), when
    the parser has long sent every row of a small file."""
    _wait_for(Path(arguments["path"] + ".read"))
    time.sleep(0.5)
    refuses(sender, arguments)


def passes_once_a_row_is_read(sender: Connection, arguments: dict[str, Any]) -> None:
    """Lets the file be only once the parent has read a row (the test leaves a flag then):
    the parent must not wait for the checks before its first row."""
    if _wait_for(Path(arguments["path"] + ".read")):
        sender.send_bytes(marshal.dumps(("checked",)))
    else:
        sender.send_bytes(marshal.dumps(("error", "corrupt", "No row was read meanwhile.")))


def _wait_for(flag: Path, seconds: float = 20) -> bool:
    for _ in range(int(seconds * 50)):
        if flag.exists():
            return True
        time.sleep(0.02)
    return False
