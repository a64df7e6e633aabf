"""`make bench`: python -m bench [SUITE ...] [options]. See docs/operations.md, "Sizing".

Suites: readers, engine (the default: both, 10,000 and 100,000 rows, on SQLite, and on
PostgreSQL too when BENCH_DATABASE_URL is set); portal, grid, review and queues when
named (drafts: the fix file and discarding, at the grid's size; activity: the audit log;
peer: side by side with django-import-export; orgs: many organizations' imports through the task workers). Each suite is a module of this package with `main(argv) -> int`; it generates its
own data under bench/out/ and prints rows per second and peak memory. Every option is given to every
chosen suite, which ignores the ones it does not know (`--rows 1000000` is for both).
"""

import importlib
import sys

SUITES = (
    "readers",
    "engine",
    "portal",
    "grid",
    "review",
    "queues",
    "drafts",
    "activity",
    "peer",
    "orgs",
)
# portal, grid and review build 100,000s of accounts or rows, queues and orgs start
# workers, peer installs the peer:
# only when asked.
DEFAULT = ("readers", "engine")


def main(argv: list[str]) -> int:
    chosen = [arg for arg in argv if arg in SUITES] or list(DEFAULT)
    options = [arg for arg in argv if arg not in SUITES]
    status = 0
    for name in chosen:
        print(f"== {name} ==", flush=True)
        module = importlib.import_module(f"bench.{name}")
        status |= module.main(options)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
