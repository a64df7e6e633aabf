from typing import Any

from django.core.management.base import BaseCommand

from roster.accounts.search_index import merge_pending_entries, write_waiting_entries
from roster.accounts.sweep import sweep_invitations


class Command(BaseCommand):
    help = (
        "Pick up activation emails that lost tasks or dead workers left behind: enqueue "
        "forgotten ones again, fail interrupted sends; write and merge the search entries "
        "that new and changed accounts left waiting. Run it every minute (cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        swept = sweep_invitations()
        if options["verbosity"] >= 1 and (swept.requeued or swept.interrupted):
            self.stdout.write(
                f"{swept.requeued} activation emails enqueued again, "
                f"{swept.interrupted} interrupted sends marked failed"
            )
        # Search entries a big import's lost task left unwritten, and the index's pending
        # list, which no insert merges (accounts/search_index.py).
        written = write_waiting_entries()
        pages = merge_pending_entries()
        if options["verbosity"] >= 1 and written:
            self.stdout.write(f"{written} search entries written that an import left waiting")
        if options["verbosity"] >= 2 and pages:
            self.stdout.write(f"{pages} pages of search entries merged")
