"""The Activity page in a browser, with the long names and values real organizations have:
reached from the navigation, filtered, and at 1280, 1440 and 390 px wide the page never
scrolls sideways and no two pieces of an entry overlap (issue 14)."""

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from roster.accounts.models import Role
from roster.audit.log import SYSTEM, By, record
from roster.audit.models import Action, Door
from roster.importing.models import ImportJob, JobStatus
from roster.orgs.models import Organization
from tests.browser.accessibility import serious_violations
from tests.browser.test_add_multiple_users import log_in
from tests.browser.test_review_layout import page_width
from tests.conftest import make_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_EMAIL = "maximiliana.josefina.vandenberghe-oyelaran@northside-academy.example.org"
FILE = "Northside_Academy_Student_Roster_Export_2026-12-01_FINAL_v3_copy (2).xlsx"


def _history(org: Organization) -> None:
    admin = make_account(
        org,
        Role.ADMIN,
        "admin@northside.example",
        status="active",
        first_name="Guðrún Sólveig",
        last_name="Þórðardóttir-Wolfeschlegelsteinhausen",
    )
    kid = make_account(
        org,
        Role.STUDENT,
        LONG_EMAIL,
        first_name="Maximiliana-Josefina",
        last_name="Vandenberghe-Oyelaran",
    )
    job = ImportJob.objects.create(organization=org, status=JobStatus.APPLIED, created_by=admin)
    web = By.account(admin, Door.WEB, "2001:db8:85a3::8a2e:370:7334")
    record(org, Action.UPLOADED, by=web, import_job=job, detail={"sources": [FILE], "rows": 12_480})
    cell = {"tab": "Students (2025-26 term)", "column": "Parent 2 Email", "row": 10_482}
    old, new = "parent.nobody.knows@family-mail.example.com", f"guardian.{LONG_EMAIL}"
    record(org, Action.EDITED_CELL, by=web, import_job=job, detail=cell | {"old": old, "new": new})
    fix = {
        "tab": "Students (2025-26 term)",
        "column": "Parent Email",
        "code": "unknown_association",
    }
    record(
        org,
        Action.FIXED_GROUP,
        by=web,
        import_job=job,
        detail=fix | {"fix": "drop_link", "rows": 5_012},
    )
    counts = {
        "create": 11_904,
        "update": 431,
        "unchanged": 0,
        "skipped": 145,
        "links": 9_210,
        "invites": 11_904,
    }
    record(org, Action.APPLIED, by=SYSTEM, import_job=job, detail=counts)
    record(org, Action.RESENT, by=web, account=kid, detail={"chosen": 1, "queued": 1})
    record(
        org,
        Action.EDITED_USER,
        by=web,
        account=kid,
        detail={"changed": {"email": [old, LONG_EMAIL]}},
    )


def _overlapping(page: Page) -> list[str]:
    """Pairs of boxes that overlap: an entry's cells (and each cell's label and value on a
    phone), and the filter form's controls."""
    found: list[str] = page.evaluate(
        """() => {
          const overlap = (a, b) => a.width > 0 && b.width > 0 && a.left < b.right - 1 &&
            b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
          const pairs = (els, what) => {
            const out = [];
            const boxes = els.map(e => e.getBoundingClientRect());
            for (let i = 0; i < boxes.length; i++)
              for (let j = i + 1; j < boxes.length; j++)
                if (overlap(boxes[i], boxes[j])) out.push(`${what}: ${i} and ${j}`);
            return out;
          };
          let out = [];
          document.querySelectorAll('#activity tbody tr').forEach((tr, n) => {
            out = out.concat(pairs([...tr.children], `row ${n}`));
            tr.querySelectorAll('td > div').forEach(div => {
              const cell = div.parentElement.getBoundingClientRect();
              const box = div.getBoundingClientRect();
              if (box.right > cell.right + 1) out.push(`row ${n}: ${div.parentElement.dataset.label} overflows`);
            });
          });
          const controls = [...document.querySelectorAll('.activity-filters > *')];
          return out.concat(pairs(controls, 'filters'));
        }"""
    )
    return found


def test_the_activity_page_at_desktop_and_phone_widths(
    page: Page, live_server: Any, org: Organization, other_org: Organization, tmp_path: Path
) -> None:
    _history(org)
    record(
        other_org,
        Action.CREATED_ORGANIZATION,
        by=SYSTEM,
        detail={"name": "Southside", "slug": "southside"},
    )
    log_in(page, live_server)
    page.get_by_role("navigation", name="Admin portal").get_by_role("link", name="Activity").click()
    expect(page.get_by_role("heading", name="Activity")).to_be_visible()
    rows = page.locator("#activity tbody tr")
    expect(rows).to_have_count(6)  # ours only
    expect(rows.first).to_contain_text("Edited a user")
    assert serious_violations(page) == []

    for width in (1280, 1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page_width(page) == (width, width), f"sideways scroll at {width} px"
        assert _overlapping(page) == [], f"at {width} px"
        shot = tmp_path / f"activity-{width}.png"
        page.screenshot(path=shot, full_page=True)
        if os.environ.get("ROSTER_ACTIVITY_SHOTS"):  # to look at them
            page.screenshot(
                path=Path(os.environ["ROSTER_ACTIVITY_SHOTS"]) / shot.name, full_page=True
            )

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Person").fill("vandenberghe")
    page.get_by_label("Action").select_option(label="Resent activation emails")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("link", name=LONG_EMAIL, exact=False)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.count("\n") == 2 and "Resent activation emails" in text
