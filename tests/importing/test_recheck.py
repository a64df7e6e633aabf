"""An edit re-checks the rows it can affect, in the same transaction, as a full check would."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roster.accounts.models import Account, Role
from roster.audit.log import SYSTEM
from roster.importing import jobs
from roster.importing.jobs import check, recheck, tables
from roster.importing.models import ImportFlag, ImportJob, ImportRow, ImportTab
from roster.orgs.models import Organization
from tests.conftest import make_account
from tests.importing.flag_state import assert_as_full_check, stored_state

STUDENT = "First Name,Last Name,Email,Username,Parent Email,Instructor Email,Notes\n"
OTHER = "First Name,Last Name,Email,Student\n"


def paste(org: Organization, admin: Account, students: str, parents: str = "") -> ImportJob:
    sources = [jobs.NewSource(Role.STUDENT, text=STUDENT + students)]
    if parents:
        sources.append(jobs.NewSource(Role.PARENT, text=OTHER + parents))
    job = jobs.create_job(org, admin, sources, by=SYSTEM)
    assert jobs.check_job(job)
    return job


def edit(job: ImportJob, role: Role, number: int, header: str, value: str) -> None:
    tab = ImportTab.objects.get(job=job, role=role)
    jobs.edit_cell(job, tab, number, tab.header.index(header), value, by=SYSTEM)
    assert_as_full_check(job)


def flags(job: ImportJob, role: Role, number: int) -> set[tuple[str, str]]:
    found = ImportFlag.objects.filter(job=job, tab__role=role, row=number)
    return set(found.values_list("code", "message"))


def codes(job: ImportJob, role: Role, number: int) -> set[str]:
    return {code for code, _ in flags(job, role, number)}


def test_fixing_a_duplicate_unflags_the_other_row(org: Organization, admin: Account) -> None:
    job = paste(org, admin, "Ann,Lee,ann@example.com,,,,\nAnn,Lee,ANN@example.com,,,,\n")
    assert codes(job, Role.STUDENT, 3) == {"duplicate_in_file"}
    edit(job, Role.STUDENT, 2, "Email", "anne@example.com")
    assert codes(job, Role.STUDENT, 3) == set()
    assert ImportRow.objects.get(job=job, number=3).severity == 0


def test_deleting_the_first_of_two_duplicates_moves_the_flag(
    org: Organization, admin: Account
) -> None:
    job = paste(org, admin, "A,Lee,ann@example.com,,,,\n" * 3)
    assert flags(job, Role.STUDENT, 4) == {
        ("duplicate_in_file", f"{_duplicate_message} First seen in Student row 2.")
    }
    jobs.delete_rows(job, ImportTab.objects.get(job=job), [2], by=SYSTEM)
    assert_as_full_check(job)
    assert codes(job, Role.STUDENT, 3) == set()
    assert flags(job, Role.STUDENT, 4) == {
        ("duplicate_in_file", f"{_duplicate_message} First seen in Student row 3.")
    }


_duplicate_message = "The same email or username appears more than once in this import."


def test_changing_a_parents_email_flags_the_students_naming_the_old_one(
    org: Organization, admin: Account
) -> None:
    students = "Ann,Lee,ann@example.com,,pat@example.com,,\nBo,Lee,,kid1,pat@example.com,,\n"
    job = paste(org, admin, students, "Pat,Lee,pat@example.com,\n")
    edit(job, Role.PARENT, 2, "Email", "patricia@example.com")
    assert codes(job, Role.STUDENT, 2) == {"unknown_association"}
    assert codes(job, Role.STUDENT, 3) == {"unknown_association", "student_needs_parent"}
    edit(job, Role.PARENT, 2, "Email", "PAT@example.com")
    assert codes(job, Role.STUDENT, 2) == codes(job, Role.STUDENT, 3) == set()


def test_fixing_a_username_only_students_parent_link_clears_student_needs_parent(
    org: Organization, admin: Account
) -> None:
    job = paste(org, admin, "Bo,Lee,,kid1,nobody@example.com,,\n", "Pat,Lee,pat@example.com,\n")
    assert codes(job, Role.STUDENT, 2) == {"unknown_association", "student_needs_parent"}
    edit(job, Role.STUDENT, 2, "Parent Email", "pat@example.com")
    assert codes(job, Role.STUDENT, 2) == set()


def test_a_parents_student_column_gives_a_username_only_student_a_parent(
    org: Organization, admin: Account
) -> None:
    job = paste(org, admin, "Bo,Lee,,kid1,,,\n", "Pat,Lee,pat@example.com,kid1\n")
    assert codes(job, Role.STUDENT, 2) == set()
    edit(job, Role.PARENT, 2, "Student", "")
    assert codes(job, Role.STUDENT, 2) == {"student_needs_parent"}
    edit(job, Role.PARENT, 2, "Student", "KID1")
    assert codes(job, Role.STUDENT, 2) == set()


def test_a_student_named_by_another_parent_keeps_a_parent(
    org: Organization, admin: Account
) -> None:
    parents = "Pat,Lee,pat@example.com,\nQuinn,Lee,quinn@example.com,kid1\n"
    job = paste(org, admin, "Bo,Lee,,kid1,pat@example.com,,\n", parents)
    edit(job, Role.PARENT, 2, "Email", "patricia@example.com")
    assert codes(job, Role.STUDENT, 2) == {"unknown_association"}


def test_a_parent_kept_out_for_a_student_it_names_leaves_its_other_child_without_a_parent(
    org: Organization, admin: Account
) -> None:
    students = "Ann,Lee,ann@example.com,,,,\nBo,Lee,,kid1,pat@example.com,,\n"
    job = paste(org, admin, students, "Pat,Lee,pat@example.com,ann@example.com\n")
    edit(job, Role.STUDENT, 2, "Email", "anne@example.com")
    assert codes(job, Role.PARENT, 2) == {"unknown_association"}
    # Pat is kept out, so Bo's link to Pat is not made and Bo has no parent left.
    assert codes(job, Role.STUDENT, 3) == {"student_needs_parent"}


@pytest.mark.parametrize(
    ("bo_names", "pat_names"),
    [("pat@example.com", "ann@example.com"), ("", "kid1; ann@example.com")],
    ids=["in the student's row", "in the parent's row"],
)
def test_a_student_keeps_a_parent_whose_other_links_are_fine(
    org: Organization, admin: Account, bo_names: str, pat_names: str
) -> None:
    # Whether Pat is kept depends on Ann's row, which the edit of Quinn's row does not touch.
    students = f"Ann,Lee,ann@example.com,,,,\nBo,Lee,,kid1,{bo_names},,\n"
    parents = f"Pat,Lee,pat@example.com,{pat_names}\nQuinn,Lee,quinn@example.com,kid1\n"
    job = paste(org, admin, students, parents)
    edit(job, Role.PARENT, 3, "Student", "")
    assert codes(job, Role.STUDENT, 3) == set()
    edit(job, Role.STUDENT, 2, "Email", "anne@example.com")
    assert codes(job, Role.PARENT, 2) == {"unknown_association"}
    assert codes(job, Role.STUDENT, 3) == {"student_needs_parent"}


def test_a_student_kept_out_as_a_duplicate_is_nobody_to_the_rows_naming_it(
    org: Organization, admin: Account
) -> None:
    # Row 3 holds bo@ but repeats row 2's username, so it is kept out: naming it as an
    # instructor is no error (its own flag says what to fix) until row 2 is fixed.
    students = "Ann,Lee,,kid1,,,\nBo,Lee,bo@example.com,KID1,,,\nCy,Lee,cy@example.com,,,,\n"
    job = paste(org, admin, students)
    edit(job, Role.STUDENT, 4, "Instructor Email", "bo@example.com")
    assert codes(job, Role.STUDENT, 4) == set()
    edit(job, Role.STUDENT, 2, "Username", "kid9")
    assert codes(job, Role.STUDENT, 4) == {"association_role_mismatch"}


def test_an_existing_account_of_another_role_is_a_role_conflict(
    org: Organization, admin: Account
) -> None:
    make_account(org, Role.PARENT, "pat@example.com")
    job = paste(org, admin, "Ann,Lee,ann@example.com,,pat@example.com,,\n")
    assert codes(job, Role.STUDENT, 2) == set()
    edit(job, Role.STUDENT, 2, "Email", "pat@example.com")
    assert codes(job, Role.STUDENT, 2) == {"role_conflict"}
    edit(job, Role.STUDENT, 2, "Parent Email", "admin@northside.example")
    assert codes(job, Role.STUDENT, 2) == {"role_conflict"}
    edit(job, Role.STUDENT, 2, "Email", "ann@example.com")
    assert codes(job, Role.STUDENT, 2) == {"association_role_mismatch"}


def test_deleting_rows_deleted_already_keeps_the_flags_current(
    org: Organization, admin: Account
) -> None:
    job = paste(org, admin, "Ann,,ann@example.com,,,,\n")
    tab = ImportTab.objects.get(job=job)
    assert jobs.delete_rows(job, tab, [2], by=SYSTEM) == 1
    assert jobs.delete_rows(job, tab, [2, 99], by=SYSTEM) == 0
    assert_as_full_check(job)


def test_an_edit_no_rule_reads_keeps_the_flags(org: Organization, admin: Account) -> None:
    job = paste(org, admin, "Ann,,ann@example.com,,,,\n")
    before = stored_state(job)
    edit(job, Role.STUDENT, 2, "Notes", "=SUM(A1)")
    assert stored_state(job) == before


def test_edits_keep_flags_current_but_not_the_summary(org: Organization, admin: Account) -> None:
    job = paste(org, admin, "Ann,,ann@example.com,,,,\n")
    edit(job, Role.STUDENT, 2, "Last Name", "Lee")
    assert job.flags_current and not job.checked
    assert job.preview["skipped"]["student"] == 1  # the summary waits for the full check
    assert jobs.check_job(job)
    assert job.checked and job.preview["skipped"]["student"] == 0


def test_after_a_column_choice_an_edit_leaves_the_flags_stale(
    org: Organization, admin: Account
) -> None:
    job = paste(org, admin, "Ann,,ann@example.com,,,,\nBo,Lee,ann@example.com,,,,\n")
    tab = ImportTab.objects.get(job=job)
    before = stored_state(job)
    jobs.choose_column(job, tab, 1, None, by=SYSTEM)
    assert not job.flags_current
    jobs.edit_cell(job, tab, 3, 2, "bo@example.com", by=SYSTEM)
    job.refresh_from_db()
    assert not job.flags_current
    assert stored_state(job) == before, "saved, and left for the pending full check"
    assert jobs.check_job(job)
    assert_as_full_check(job)
    assert codes(job, Role.STUDENT, 3) == set()


def test_a_full_check_overtaken_by_an_edit_stores_nothing(
    org: Organization, admin: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = paste(org, admin, "Ann,,ann@example.com,,,,\n")
    tab = ImportTab.objects.get(job=job)
    jobs.choose_column(job, tab, 6, None, by=SYSTEM)  # flags stale: the next full check is due
    preview_tables = tables.preview_tables

    def edited_meanwhile(*args: object, **kwargs: object) -> object:
        found = preview_tables(*args, **kwargs)  # type: ignore[arg-type]
        jobs.edit_cell(ImportJob.objects.get(pk=job.pk), tab, 2, 1, "Lee", by=SYSTEM)
        return found

    monkeypatch.setattr(check, "preview_tables", edited_meanwhile)
    assert not jobs.check_job(job)
    assert not job.flags_current and not job.checked
    assert codes(job, Role.STUDENT, 2) == {"missing_required"}, "the older flags stay"
    monkeypatch.setattr(check, "preview_tables", preview_tables)
    assert jobs.check_job(job)
    assert_as_full_check(job)
    assert codes(job, Role.STUDENT, 2) == set()


def test_a_role_change_is_checked_in_full_or_left_for_the_full_check(
    org: Organization, admin: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "Role,First Name,Last Name,Email\nstudent,Ann,Lee,ann@example.com\n"
    job = jobs.create_job(org, admin, [jobs.NewSource(Role.STUDENT, text=text)], by=SYSTEM)
    assert jobs.check_job(job)
    tab = ImportTab.objects.get(job=job)
    jobs.edit_cell(job, tab, 2, 0, "alien", by=SYSTEM)
    assert_as_full_check(job)
    assert codes(job, Role.STUDENT, 2) == {"missing_required"}
    monkeypatch.setattr(check, "SYNC_ROWS", 0)  # as if too big to check inside a request
    jobs.edit_cell(job, tab, 2, 0, "student", by=SYSTEM)
    job.refresh_from_db()
    assert not job.flags_current


def test_a_change_reaching_too_many_rows_is_checked_in_full(
    org: Organization, admin: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    students = "".join(f"S,Lee,s{n}@example.com,,pat@example.com,,\n" for n in range(5))
    job = paste(org, admin, students, "Pat,Lee,pat@example.com,\n")
    monkeypatch.setattr(recheck, "LIMIT", 3)
    edit(job, Role.PARENT, 2, "Email", "patricia@example.com")
    assert job.checked, "the full check ran"
    assert ImportFlag.objects.filter(job=job, code="unknown_association").count() == 5


def many_students(org: Organization, admin: Account, n: int) -> ImportJob:
    """n students of one parent; row 2 is a username-only student, row 3 a duplicate."""
    rows = ["Bo,Lee,,kid1,pat@example.com,,\n", "Bo,Lee,,KID1,pat@example.com,,\n"]
    rows += [f"S,Lee,s{index}@example.com,,,,\n" for index in range(n - 2)]
    return paste(org, admin, "".join(rows), "Pat,Lee,pat@example.com,kid1\n")


def test_an_edit_costs_the_same_queries_whatever_the_size_of_the_job(
    org: Organization, admin: Account
) -> None:
    counts = []
    for n in (10, 2000):
        job = many_students(org, admin, n)
        tab = ImportTab.objects.get(job=job, role=Role.STUDENT)
        with CaptureQueriesContext(connection) as edited:
            jobs.edit_cell(job, tab, 2, 3, "kid2", by=SYSTEM)
        with CaptureQueriesContext(connection) as deleted:
            jobs.delete_rows(job, tab, [3], by=SYSTEM)
        assert job.flags_current
        assert codes(job, Role.PARENT, 2) == {"unknown_association"}
        counts.append((len(edited), len(deleted)))
    assert counts[0] == counts[1], counts
