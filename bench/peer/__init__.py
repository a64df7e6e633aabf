"""Side by side with django-import-export: `make bench BENCH_ARGS=peer`.

    python -m bench peer [--rows 100000] [--default-rows 20000] [--runs 3] [--database-url URL]

Installs the peer (bench/peer-requirements.txt, pinned and hashed) into bench/out/peer-lib,
never into the project's environment; writes one clean student CSV (bench/generate.py's
students that have a valid email and a last name: First Name, Last Name, Email, Phone);
then, on one database (a fresh SQLite file unless a URL names a throwaway PostgreSQL
database), times whole processes, `runs` times each, in turn:

- Roster: `roster import FILE --org SLUG --role student` (read, validate with its email
  and phone checks, plan, apply), into a new organization each run;
- the peer's tuned mode (bulk writes, CachedInstanceLoader, no diff) and its default row
  mode (bench/peer/run.py), each into an emptied table.

The default mode does a lookup and a save per row (minutes at 100,000 rows), so it runs on
the first `--default-rows` rows of the same file, and the output says so. Ratios compare
rows per second of the medians.
"""

from bench.peer.side_by_side import main

__all__ = ["main"]
