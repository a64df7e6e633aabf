from typing import Any

from django.core.management.base import BaseCommand

from roster.followup.automatic import sweep_reminders


class Command(BaseCommand):
    help = (
        "Enqueue the automatic reminders of every organization that turned them on; the "
        "task worker sends them. Run it every few minutes (cron); twice at once is harmless."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        organizations = sweep_reminders()
        if options["verbosity"] >= 2:
            self.stdout.write(f"automatic reminders enqueued for {organizations} organizations")
