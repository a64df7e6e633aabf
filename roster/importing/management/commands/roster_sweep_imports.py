from typing import Any

from django.core.management.base import BaseCommand

from roster.importing.sweep import sweep_imports


class Command(BaseCommand):
    help = (
        "Pick up imports that dead workers left behind: fail those applying past their "
        "lease (the admin retries them), queue again checks that never finished, enqueue "
        "the activation emails of those applied whose delivery was never enqueued. Run it "
        "every minute (cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        swept = sweep_imports()
        if options["verbosity"] >= 1 and (swept.failed or swept.deliveries or swept.checks):
            self.stdout.write(
                f"{swept.failed} imports whose worker stopped marked failed, "
                f"{swept.deliveries} imports' activation emails enqueued again, "
                f"{swept.checks} unfinished checks queued again"
            )
