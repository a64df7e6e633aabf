"""Imports run on a queue of their own: activation emails never wait behind a big check.

Issue 11: a 7-minute check held the only worker while another organization's email
waited 5 min 40 s. The documented worker set-up now serves the two queues separately.
"""

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.tasks import Task
from django_tasks_db.models import DBTaskResult

from roster.accounts.delivery import record_invitations
from roster.accounts.models import Account, Invitation, InvitationStatus, Role
from roster.accounts.tasks import deliver_invitations, fan_out_delivery, merge_search_entries
from roster.importing.tasks import apply_import_job, check_import_job
from roster.orgs.models import Organization
from tests.conftest import make_account

ROOT = Path(__file__).resolve().parents[1]
QUEUES: dict[Task[Any, Any], str] = {
    check_import_job: "imports",
    apply_import_job: "imports",
    deliver_invitations: "default",
    fan_out_delivery: "default",
    merge_search_entries: "imports",
}


@pytest.mark.django_db
def test_each_task_lands_on_its_queue() -> None:
    for task, queue in QUEUES.items():
        args: list[Any] = {
            "deliver_invitations": [1, []],
            "fan_out_delivery": [1, [], 0],
            "merge_search_entries": [],
        }.get(task.name, [1])
        result = task.enqueue(*args)
        assert DBTaskResult.objects.get(pk=result.id).queue_name == queue, task.name
    assert set(QUEUES.values()) == set(settings.TASKS["default"]["QUEUES"])


@pytest.mark.django_db(transaction=True)
def test_the_mail_worker_sends_while_a_big_check_waits(
    org: Organization, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    check_import_job.enqueue(12345)  # a check ahead in line, as big as you like
    kid: Account = make_account(org, Role.STUDENT, "kid@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        record_invitations(org, [kid])
    call_command(
        "db_worker",
        batch=True,
        reload=False,
        startup_delay=False,
        verbosity=0,
        queue_name="default",
    )
    assert [m.to for m in mailoutbox] == [["kid@example.com"]]
    assert Invitation.objects.get().status == InvitationStatus.SENT
    waiting = DBTaskResult.objects.get(task_path__endswith="check_import_job")
    assert waiting.status == "READY"  # left to the import workers


def _served_queues(text: str) -> list[set[str]]:
    """The queues each `db_worker` command in `text` serves."""
    served = []
    for line in re.findall(r"db_worker[^`\n&]*", text):
        words = shlex.split(line)
        assert "--queue-name" in words, f"a worker serving only the default queue: {line}"
        served.append(set(words[words.index("--queue-name") + 1].split(",")))
    return served


@pytest.mark.parametrize("path", ["docs/operations.md", "scripts/run", "scripts/workers"])
def test_the_documented_workers_serve_imports_apart_from_mail(path: str) -> None:
    served = _served_queues((ROOT / path).read_text())
    assert {"imports"} in served and {"default"} in served, served
    assert all("*" not in queues for queues in served)
    assert set().union(*served) == set(settings.TASKS["default"]["QUEUES"])


def test_make_worker_starts_the_documented_workers() -> None:
    makefile = (ROOT / "Makefile").read_text()
    [recipe] = re.findall(r"^worker:.*\n\t(.+)$", makefile, flags=re.MULTILINE)
    assert recipe.strip() == "@scripts/workers"
