"""The wizard's workbooks: tabs without people left out with a neutral note; a tab whose
role cannot be told waits for the admin's choice on the review, then is checked."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from roster.accounts.models import Account, Role
from roster.audit.log import SYSTEM
from roster.importing import jobs
from roster.importing.models import ImportFlag, ImportJob, ImportTab, JobStatus
from roster.importing.template import template_bytes
from roster.orgs.models import Organization
from tests.importing.door_samples import filled_template
from tests.importing.sources.samples import write_xlsx

HEADER = [("A1", "First Name"), ("B1", "Last Name"), ("C1", "Email")]


def _upload(client: Client, path: Path, tab: str = "student") -> ImportJob:
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = client.post("/o/northside/users/add-multiple/", {f"{tab}_file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def _two_tabs(tmp_path: Path) -> Path:
    """A Teachers tab, and a Sheet2 of people whose name and headers say nothing."""
    return write_xlsx(
        tmp_path / "export.xlsx",
        {
            "Teachers": [*HEADER, ("A2", "Tim"), ("B2", "Tutor"), ("C2", "tim@example.com")],
            "Sheet2": [*HEADER, ("A2", "Ann"), ("B2", "Lee"), ("C2", "ann@")]
            + [("A3", "Bo"), ("B3", "Lee"), ("C3", "bo@example.com")],
        },
    )


def test_the_template_s_instructions_tab_is_a_neutral_note(
    admin_client: Client, tmp_path: Path
) -> None:
    job = _upload(admin_client, filled_template(tmp_path / "filled.xlsx"))
    assert list(ImportTab.objects.filter(job=job).values_list("sheet", "role")) == [
        ("Student", "student"),
        ("Instructor", "instructor"),
        ("Parent", "parent"),
    ]
    page = admin_client.get(f"/o/northside/imports/{job.pk}/").content.decode()
    assert (
        '<p class="info-note">Tab “Instructions” in filled.xlsx was left out: no column holds'
        " names, emails or usernames, so it lists no people.</p>"
    ) in page
    assert 'class="note"' not in page and 'id="role-form"' not in page


def test_an_unclear_tab_asks_for_its_role_then_is_checked(
    admin_client: Client, tmp_path: Path
) -> None:
    job = _upload(admin_client, _two_tabs(tmp_path))
    teachers, sheet2 = ImportTab.objects.filter(job=job)
    assert (teachers.role, sheet2.role, sheet2.rows) == ("instructor", "", 2)
    assert job.status == JobStatus.REVIEWING and job.preview["create"]["instructor"] == 1
    review = f"/o/northside/imports/{job.pk}/"
    page = admin_client.get(f"{review}?tab={sheet2.position}").content.decode()
    assert 'id="role-form"' in page and '<option value="parent">Parents</option>' in page
    assert "whom it lists is not chosen" in page
    # Nothing is edited, and Finish does not leave its rows out, before the role is chosen.
    edit = {"tab": sheet2.position, "row": 2, "column": 2, "value": "ann@example.com"}
    assert admin_client.post(f"{review}cell/", edit).status_code == 409
    finish = admin_client.post(f"{review}finish/", {"invite": "no", "tab": sheet2.position})
    assert finish.status_code == 400 and 'id="role-missing"' in finish.content.decode()
    assert admin_client.post(f"{review}apply/").status_code == 302
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.REVIEWING

    chosen = admin_client.post(f"{review}role/", {"tab": sheet2.position, "role": "student"})
    assert chosen.status_code == 302
    sheet2.refresh_from_db()
    job.refresh_from_db()
    assert (sheet2.role, sheet2.sheet, sheet2.errors) == ("student", "Sheet2", 1)
    assert job.preview["create"] == {"student": 1, "instructor": 1, "parent": 0}
    flag = ImportFlag.objects.get(job=job, tab=sheet2)
    assert (flag.row, flag.code) == (2, "invalid_email")
    page = admin_client.get(f"{review}?tab={sheet2.position}").content.decode()
    assert 'id="role-form"' not in page
    again = admin_client.post(f"{review}role/", {"tab": sheet2.position, "role": "parent"})
    assert again.status_code == 409  # a known role is not changed this way
    assert admin_client.post(f"{review}finish/", {"invite": "no"}).status_code == 302


def test_a_role_must_be_one_of_the_people_roles(admin_client: Client, tmp_path: Path) -> None:
    job = _upload(admin_client, _two_tabs(tmp_path))
    response = admin_client.post(
        f"/o/northside/imports/{job.pk}/role/", {"tab": 1, "role": "admin"}
    )
    assert response.status_code == 400
    assert ImportTab.objects.get(job=job, position=1).role == ""


def test_a_single_table_given_without_a_role_is_named_by_the_role_chosen(
    org: Organization, admin: Account
) -> None:
    upload = SimpleUploadedFile("people.csv", b"First Name,Last Name,Email\nA,B,a@example.com\n")
    job = jobs.create_job(org, admin, [jobs.NewSource(role=None, upload=upload)], by=SYSTEM)
    tab = ImportTab.objects.get(job=job)
    assert (tab.sheet, tab.role, jobs.undecided_tabs(job)) == ("", "", [tab])
    jobs.choose_role(job, tab, Role.PARENT, by=SYSTEM)
    assert jobs.check_job(job)
    assert ImportTab.objects.get(job=job).sheet == "Parent"
    assert job.preview["create"]["parent"] == 1


def test_the_blank_template_gives_an_empty_review_with_its_note(
    admin_client: Client, tmp_path: Path
) -> None:
    blank = tmp_path / "template.xlsx"
    blank.write_bytes(template_bytes())  # its role tabs hold only headers: the readers drop them
    job = _upload(admin_client, blank)
    assert not ImportTab.objects.filter(job=job).exists()
    page = admin_client.get(f"/o/northside/imports/{job.pk}/").content.decode()
    assert '<p class="info-note">Tab “Instructions” in template.xlsx was left out' in page
    finish = admin_client.post(f"/o/northside/imports/{job.pk}/finish/", {"invite": "no"})
    assert finish.status_code == 302
