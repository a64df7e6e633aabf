"""Workbook reader children that die, for the isolation tests (sources/isolated.py).

Kept apart from Django: the fork server's child imports this module to run them.
"""

import marshal
import os
import signal
from multiprocessing.connection import Connection
from typing import Any


def aborts(sender: Connection, arguments: dict[str, Any]) -> None:
    os.abort()


def killed_while_rows_are_read(sender: Connection, arguments: dict[str, Any]) -> None:
    sender.send_bytes(marshal.dumps(("tables", None, [], [("S", ["Email"], 1)])))
    os.kill(os.getpid(), signal.SIGKILL)
