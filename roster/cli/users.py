import argparse
import json
from collections import defaultdict

from roster.accounts.models import Account, StudentInstructor, StudentParent
from roster.cli.output import FailureCode, fail
from roster.orgs.models import Organization


def users_command(args: argparse.Namespace) -> int:
    org = Organization.objects.by_slug_or_none(args.org)
    if org is None:
        return fail(
            f"unknown organization: {args.org}",
            code=FailureCode.UNKNOWN_ORGANIZATION,
            as_json=args.json,
        )
    users = account_dicts(org)
    if args.json:
        print(json.dumps(users, ensure_ascii=False))
    else:
        for user in users:
            print(f"{user['role']:<10} {user['status']:<11} {user['email'] or user['username']}")
    return 0


def account_dicts(org: Organization) -> list[dict[str, object]]:
    """Every account of `org` as PRODUCT.md's JSON objects, in three queries whatever the size."""
    accounts = list(Account.objects.in_org(org).order_by("id"))
    names = {account.pk: account.login_name for account in accounts}
    links: dict[tuple[int, str], list[str]] = defaultdict(list)
    for student, parent in StudentParent.objects.filter(organization=org).values_list(
        "student_id", "parent_id"
    ):
        links[student, "parents"].append(names[parent])
        links[parent, "students"].append(names[student])
    for student, instructor in StudentInstructor.objects.filter(organization=org).values_list(
        "student_id", "instructor_id"
    ):
        links[student, "instructors"].append(names[instructor])
        links[instructor, "students"].append(names[student])
    result: list[dict[str, object]] = []
    for account in accounts:
        item: dict[str, object] = account.listed()
        for key in account.link_keys:
            item[key] = sorted(links[account.pk, key])
        result.append(item)
    return result
