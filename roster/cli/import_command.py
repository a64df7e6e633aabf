"""`roster import` — placeholder until the import engine lands (issue 4)."""

import argparse

from roster.cli.output import fail


def import_command(args: argparse.Namespace) -> int:
    return fail("importing is not available yet")
