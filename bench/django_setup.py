"""Roster set up inside a benchmark process: its own database, migrated."""

import os
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def start_django(name: str, database_url: str, var_dir: Path | None = None) -> None:
    """Set Django up on `database_url`, or on a fresh SQLite file bench/out/<name>.sqlite3.

    `var_dir` takes what Roster writes besides the database (uploaded files). Requests go
    through Django's test client, whose host is "testserver".
    """
    OUT.mkdir(exist_ok=True)
    sqlite = OUT / f"{name}.sqlite3"
    if not database_url:
        sqlite.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{sqlite}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    if var_dir is not None:
        os.environ["ROSTER_VAR_DIR"] = str(var_dir)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
