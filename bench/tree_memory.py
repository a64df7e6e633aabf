"""The memory an import really holds at once: this process and every process under it.

Each process's peak (VmHWM) is taken at its own moment, so adding the importing process's
peak to its workbook reader's and row-check helper's overstates what they held together.
This samples, every 500 ms in a thread, the proportional set size (Pss: pages shared by
several processes, as a forked child shares its fork server's, divided among them) of
this process and of all its descendants (the fork server, its workbook readers and
row-check helpers), and keeps the largest sum. A read of smaps_rollup costs the kernel
a few milliseconds for a process of a GB, walking its page tables, and that time is the
import's: it is counted in the benchmark's `cpu` (which counts every thread of the
process) and it slows the measured stages. At every 200 ms it took ~4 % of a 1,000,000-
student read + validate from CSV (22.22, 22.43 s against 21.33, 21.72 s without it), at
500 ms ~2 % (21.67, 21.10 s against 21.15, 20.77 s), with the same peaks (702-711 MB):
an import's peaks last seconds.
"""

import threading
from pathlib import Path

EVERY = 0.5


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
    """Pss of the process and its descendants, in KB (processes that end meanwhile: 0)."""
    try:
        total = _pss_kb(pid)
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _tree_kb(child)
    except OSError:
        return 0
    return total


def _pss_kb(pid: str) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0
