"""The `roster` command line (PRODUCT.md, "Command line"): parse → gate → call → present.

`roster …` and `python manage.py roster …` both end in `main(argv)`.
"""

import argparse
import os
import sys
from collections.abc import Sequence

from roster.cli.output import FailureCode, fail

# Plain strings: this module is imported by the `roster` script before Django is set up.
IMPORT_ROLES = ("student", "instructor", "parent")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="roster", description="Roster's command line.")
    commands = parser.add_subparsers(dest="command", required=True)

    org = commands.add_parser("org", help="manage organizations")
    org_commands = org.add_subparsers(dest="org_command", required=True)
    create = org_commands.add_parser("create", help="create an organization and its owner")
    create.add_argument("slug", help="the portal's address: /o/SLUG/")
    create.add_argument("--name", required=True, help="the organization's name")
    create.add_argument("--owner-email", required=True, help="the owner's email")
    create.add_argument("--owner-first-name", default="", help="the owner's first name")
    create.add_argument("--owner-last-name", default="", help="the owner's last name")
    create.add_argument("--region", default="US", help="default phone region (two letters)")

    imp = commands.add_parser("import", help="import users from files (one import)")
    imp.add_argument("files", nargs="+", metavar="FILE", help=".xlsx .xls .ods .csv .tsv .txt")
    imp.add_argument("--org", required=True, metavar="SLUG", help="the organization")
    imp.add_argument(
        "--role",
        choices=IMPORT_ROLES,
        help="role of single-table files (guessed from file name or headers when absent)",
    )
    invite = imp.add_mutually_exclusive_group()
    invite.add_argument(
        "--invite",
        dest="invite",
        action="store_true",
        default=False,
        help="send activation emails to new users",
    )
    invite.add_argument(
        "--no-invite", dest="invite", action="store_false", help="send no email (the default)"
    )
    imp.add_argument("--dry-run", action="store_true", help="plan only: change and send nothing")
    imp.add_argument("--json", action="store_true", help="print one JSON object")

    undo = commands.add_parser("undo", help="undo an applied import (within the undo window)")
    undo.add_argument("import_id", type=int, metavar="IMPORT_ID", help="the import's id")
    undo.add_argument("--org", required=True, metavar="SLUG", help="the organization")
    undo.add_argument(
        "--dry-run", action="store_true", help="show what undo would do; change nothing"
    )
    undo.add_argument("--json", action="store_true", help="print one JSON object")

    imports = commands.add_parser("imports", help="list an organization's imports")
    imports.add_argument("--org", required=True, metavar="SLUG", help="the organization")
    imports.add_argument("--json", action="store_true", help="print a JSON list")

    users = commands.add_parser("users", help="list an organization's accounts")
    users.add_argument("--org", required=True, metavar="SLUG", help="the organization")
    users.add_argument("--json", action="store_true", help="print a JSON list")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; both doors (`roster`, `manage.py roster`) call this with Django set up."""
    from django.db import DatabaseError

    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except DatabaseError as error:
        # A database that is down, not migrated, or refusing a change: one line, not a
        # traceback, and a hint only where it helps.
        return fail(
            database_failure(error),
            code=FailureCode.DATABASE_ERROR,
            as_json=getattr(args, "json", False),
            status=2,
        )


def database_failure(error: Exception) -> str:
    """One sentence for a database error, with the hint that fits it."""
    text = " ".join(str(error).split())
    lowered = text.lower()
    if "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered):
        return f"the database is not set up ({text}); run `python manage.py migrate`"
    if "connect" in lowered or "could not translate host" in lowered:
        return f"the database cannot be reached ({text}); check DATABASE_URL"
    # A deadlock, a serialization failure, a lock wait that timed out: nothing was saved.
    return f"the database refused the change ({text}); nothing was changed, try again"


def run(args: argparse.Namespace) -> int:
    if args.command == "org":
        from roster.cli.orgs import create_org_command

        return create_org_command(args)
    if args.command == "users":
        from roster.cli.users import users_command

        return users_command(args)
    if args.command in ("undo", "imports"):
        from roster.cli.undo import imports_command, undo_command

        return undo_command(args) if args.command == "undo" else imports_command(args)
    from roster.cli.import_command import import_command

    return import_command(args)


def entry_point() -> None:
    """The installed `roster` script: set up Django, then run main()."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    sys.exit(main(sys.argv[1:]))
