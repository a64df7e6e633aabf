from typing import Any

from django.core.management.base import BaseCommand

from roster.orgs.demo import DEMO_OWNER, ensure_demo


class Command(BaseCommand):
    help = "Create the demo organization if needed and print its owner's login."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="where Roster listens")

    def handle(self, *args: Any, **options: Any) -> None:
        org, password = ensure_demo()
        url = f"{options['url'].rstrip('/')}/o/{org.slug}/login/"
        self.stdout.write(
            f"\n  Roster is starting. Log in to the demo organization:\n"
            f"    {url}\n    email:    {DEMO_OWNER}\n    password: {password}\n"
        )
