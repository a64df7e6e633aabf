import sys
from typing import Any

from django.core.management.base import BaseCommand

from roster.cli.main import main


class Command(BaseCommand):
    help = "Roster's command line: org create, import, users (see `roster --help`)."

    def run_from_argv(self, argv: list[str]) -> None:
        # Our own parser owns every argument after `manage.py roster`.
        sys.exit(main(argv[2:]))

    def handle(self, *args: Any, **options: Any) -> None:  # pragma: no cover - unused
        raise NotImplementedError
