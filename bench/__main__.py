"""`make bench`: python -m bench [SUITE ...] [options]. Suites: readers, engine (default: all).

Each suite is a module of this package with `main(argv) -> int`; it generates its own
data under bench/out/ and prints rows per second and peak memory.
"""

import importlib
import sys

SUITES = ("readers", "engine", "portal", "grid")


def main(argv: list[str]) -> int:
    chosen = [arg for arg in argv if arg in SUITES] or list(SUITES)
    options = [arg for arg in argv if arg not in SUITES]
    status = 0
    for name in chosen:
        print(f"== {name} ==", flush=True)
        module = importlib.import_module(f"bench.{name}")
        status |= module.main(options)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
