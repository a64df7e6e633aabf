"""The memory an import really holds at once: this process and every process under it.

Each process's peak (VmHWM) is taken at its own moment, so adding the importing process's
peak to its workbook reader's and row-check helper's overstates what they held together.
This samples, every 50 ms in a thread, the resident memory of this process and of all
its descendants (the fork server, its workbook readers and row-check helpers), and keeps
the largest sum. Pages a forked child still shares with the fork server count in both
(tens of MB: a slight overstatement); the proportional size that divides them
(smaps_rollup) costs milliseconds a read, which a sampling thread would take from the
import it measures.
"""

import os
import threading
from pathlib import Path

EVERY = 0.05
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


class TreeMemory:
    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="tree-memory", daemon=True)
        self._thread.start()

    def peak_mb(self) -> float:
        self.peak_kb = max(self.peak_kb, _tree_kb("self"))
        return self.peak_kb / 1024

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(EVERY):
            self.peak_kb = max(self.peak_kb, _tree_kb("self"))


def _tree_kb(pid: str) -> int:
    """Resident KB of the process and its descendants (processes that end meanwhile: 0)."""
    try:
        total = _resident_kb(pid)
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _tree_kb(child)
    except OSError:
        return 0
    return total


def _resident_kb(pid: str) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB
