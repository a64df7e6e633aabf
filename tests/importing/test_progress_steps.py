"""The pipeline's progress: stages in order, rows done of the total, each stage ending at it."""

from roster.accounts.models import Role
from roster.audit.log import SYSTEM
from roster.importing.apply import apply_plan
from roster.importing.pipeline import Choices, apply_import, preview_import
from roster.importing.progress import Stage, Step
from roster.importing.sources import read_text
from roster.orgs.models import Organization
from tests.conftest import make_account
from tests.importing.engine import STUDENT_HEADER, plan, students


def _text(n: int, *, bad: int = 0) -> str:
    rows = [f"Kid,Lee,kid{i}@example.com,,,," for i in range(n)]
    rows += [f"Kid,Lee,bad{i}@@example,,,," for i in range(bad)]
    return "\n".join([STUDENT_HEADER, *rows]) + "\n"


def test_preview_then_apply_report_every_stage_up_to_its_total(org: Organization) -> None:
    make_account(org, Role.STUDENT, "kid0@example.com", first_name="Old", last_name="Lee")
    steps: list[Step] = []
    preview = preview_import(
        [read_text(_text(2500, bad=3))],
        org=org,
        choices=Choices(role=Role.STUDENT),
        progress=steps.append,
    )
    apply_import(preview, org=org, invite=False, progress=steps.append, by=SYSTEM)
    stages = [step.stage for step in steps]
    assert sorted(set(stages), key=stages.index) == [Stage.READING, Stage.PLANNING, Stage.APPLYING]
    assert stages == sorted(stages, key=list(Stage).index)  # no stage comes back
    reading = [(step.done, step.total) for step in steps if step.stage is Stage.READING]
    assert reading == [(1000, None), (2000, None), (2503, 2503)]
    assert [step.done for step in steps if step.stage is Stage.PLANNING] == [0, 2503]
    applying = [(step.done, step.total) for step in steps if step.stage is Stage.APPLYING]
    # 2,500 kept rows (the 3 bad ones are skipped): 2,499 created, then the one update
    # written, then the whole stage once it is committed.
    total = 2500
    expected = [0, 1000, 2000, 2499, 2500, 2500]
    assert applying == [(done, total) for done in expected]
    assert steps[-1].finished


def test_apply_plan_counts_rows_written(org: Organization) -> None:
    done: list[int] = []
    rows = [f"Kid,Lee,kid{i}@example.com,,,," for i in range(1200)]
    apply_plan(plan(org, students(*rows)), org=org, invite=False, progress=done.append)
    assert done == [1000, 1200, 1200]


def test_an_empty_stage_is_finished_at_once() -> None:
    assert Step(Stage.APPLYING, 0, 0).finished
    assert not Step(Stage.READING, 5, None).finished
