"""The cycle collector is held off while an import works, and comes back after it."""

import gc
import threading
from collections.abc import Iterator

import pytest

from roster.accounts.models import Role
from roster.importing import apply as apply_module
from roster.importing import directory as directory_module
from roster.importing import plan as plan_module
from roster.importing.apply import apply_plan
from roster.importing.collector import collector_held
from roster.importing.directory import Directory
from roster.importing.headers import map_headers
from roster.importing.plan import plan_import
from roster.importing.sources import Row, Table
from roster.importing.validate import TableInput, validate_import
from roster.orgs.models import Organization
from tests.importing.engine import STUDENT_HEADER, students, validate


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_held_while_held_and_back_after() -> None:
    with collector_held():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_holds_let_go_with_the_last() -> None:
    with collector_held():
        with collector_held():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_lets_go_too() -> None:
    with pytest.raises(RuntimeError), collector_held():
        raise RuntimeError
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector_held():
        pass
    assert not gc.isenabled()


def test_two_threads_let_go_when_both_are_done() -> None:
    first_in, second_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with collector_held():
            first_in.set()
            second_done.wait(5)
            seen.append(gc.isenabled())  # the other thread's end did not turn it back on

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with collector_held():
        pass
    second_done.set()
    thread.join(5)
    assert seen == [False]
    assert gc.isenabled()


def test_rows_are_read_and_validated_with_the_collector_held() -> None:
    states: list[bool] = []

    def rows() -> Iterator[Row]:
        for number in range(2, 5):
            states.append(gc.isenabled())
            yield Row(number, ("Ann", "Ng", f"a{number}@example.com", "", "", "", ""))

    header = tuple(STUDENT_HEADER.split(","))
    item = TableInput(
        Table("", header, 1, rows()), map_headers(header, Role.STUDENT), Role.STUDENT, None, ""
    )
    validated = validate_import([item], region="US")
    assert len(validated.people) == 3
    assert states == [False, False, False]
    assert gc.isenabled()


def _spy(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[bool]:
    """Record whether the collector runs each time `module.name` is called."""
    held: list[bool] = []
    original = getattr(module, name)

    def spy(*args: object, **kwargs: object) -> object:
        held.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return held


def test_loading_planning_and_applying_hold_it(
    org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    loading = _spy(monkeypatch, directory_module, "_named")
    planning = _spy(monkeypatch, plan_module, "resolve_links")
    applying = _spy(monkeypatch, apply_module, "insert_accounts")
    validated = validate(students("Ann,Ng,ann@example.com,,,,"))
    plan = plan_import(validated, Directory.load(org, validated.identity_keys()))
    outcome = apply_plan(plan, org=org, invite=False)
    assert outcome.created_ids
    # apply_plan loads the directory again under the organization's lock.
    assert (loading, planning, applying) == ([False, False], [False], [False])
    assert gc.isenabled()
