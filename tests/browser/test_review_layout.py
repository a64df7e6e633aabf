"""The review with the template's full Student columns, an extra column and long values, at
the widths admins use: the grid keeps to its own scrolling box, the flags panel never covers
a cell, the page never scrolls sideways, and the panel's links work with a mouse."""

import pytest
from playwright.sync_api import Page, expect

from roster.accounts.models import Role
from roster.orgs.models import Organization
from tests.browser.accessibility import serious_violations
from tests.browser.conftest import save_screenshot
from tests.browser.test_add_multiple_users import log_in, open_add_multiple_users
from tests.conftest import make_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The template's Student tab (all 7 columns) and a column of notes Roster does not know.
HEADER = [
    "First Name",
    "Last Name",
    "Email",
    "Username",
    "Phone",
    "Parent Email",
    "Instructor Email",
    "Notes from the front desk",
]
ROWS = [
    [
        "Maximiliana-Josefina",
        "Vandenberghe-Oyelaran-Whitfield",
        "maximiliana.josefina.vandenberghe@northside-academy.example.org",
        "",
        "+1 415 555 0134",
        "guardian.vandenberghe-oyelaran@family-mail.example.com",
        "alexandria.konstantinopoulou@northside-academy.example.org",
        "Prefers afternoon sessions; allergic to peanuts; grandmother picks up on Fridays",
    ],
    [
        "Oluwaseun",
        "Adebayo-Richardson",
        "oluwaseun.adebayo-richardson@northside-academy.example.org",
        "",
        "call mum after six",
        "parent.adebayo@family-mail.example.com",
        "",
        "Transferred from the Eastside branch in March",
    ],
    [
        "Guðrún Sólveig",
        "Þórðardóttir",
        "gudrun.thordardottir@northside-academy.example.org",
        "",
        "020 7946 0958",
        "",
        "alexandria.konstantinopoulou@northside-academy.example.org",
        "",
    ],
    [
        "Nguyễn Thị",
        "Minh Khai",
        "minh.khai.nguyen@northside-academy.example.org",
        "",
        "+84 28 3822 9999",
        "nguyen.family.parents@family-mail.example.com; second.guardian@family-mail.example.com",
        "",
        "Needs a quiet room",
    ],
    [
        "Jean-Baptiste",
        "de La Fontaine-Beauregard",
        "maximiliana.josefina.vandenberghe@northside-academy.example.org",
        "",
        "",
        "beauregard.household@family-mail.example.com",
        "",
        "",
    ],
    [
        "Bartholomew",
        "O'Sullivan-Fitzgerald",
        "bartholomew.osullivan-fitzgerald(at)northside-academy.example.org",
        "",
        "+353 1 555 0199",
        "parent.of.maximiliana@family-mail.example.com",
        "unknown.instructor.who.left.last.year@northside-academy.example.org",
        "Sibling of row 2",
    ],
    *[
        [
            f"Student{number}",
            f"Longfamilyname-Hyphenated{number}",
            f"student{number}.longfamilyname@northside-academy.example.org",
            "",
            "+1 415 555 01" + f"{number:02d}",
            "pat.guardian@family-mail.example.com",
            "",
            "",
        ]
        for number in range(8, 20)
    ],
]
VIEWPORTS = {"1280": (1280, 900), "1440": (1440, 900), "390": (390, 844)}

# The visible part of every cell of the grid (clipped by its scrolling box), and the panel.
BOXES = """() => {
  const clip = document.querySelector('.grid-scroll').getBoundingClientRect();
  const panel = document.querySelector('.issues-list').getBoundingClientRect();
  const cells = [...document.querySelectorAll('#review-grid th, #review-grid td')].map((cell) => {
    const r = cell.getBoundingClientRect();
    const left = Math.max(r.left, clip.left), right = Math.min(r.right, clip.right);
    const top = Math.max(r.top, clip.top), bottom = Math.min(r.bottom, clip.bottom);
    return {id: cell.id || cell.textContent.slice(0, 30), left, right, top, bottom};
  }).filter((r) => r.right > r.left && r.bottom > r.top);
  return {panel: {left: panel.left, right: panel.right, top: panel.top, bottom: panel.bottom},
          cells};
}"""


def _overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def open_full_review(page: Page, live_server: object) -> None:
    log_in(page, live_server)
    open_add_multiple_users(page)
    text = "\n".join("\t".join(row) for row in [HEADER, *ROWS]) + "\n"
    page.locator("#panel-student").get_by_role("textbox").fill(text)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Review your import")).to_be_visible()


def page_width(page: Page) -> tuple[int, int]:
    """The page's scroll width and the viewport's width."""
    width, viewport = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return int(width), int(viewport)


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_full_template_fits_the_screen(
    page: Page, live_server: object, admin: object, org: Organization, size: str
) -> None:
    make_account(org, Role.PARENT, "pat.guardian@family-mail.example.com")
    width, height = VIEWPORTS[size]
    page.set_viewport_size({"width": width, "height": height})
    open_full_review(page, live_server)
    expect(page.locator("#c-7-2")).to_have_class("flagged sev-2")
    expect(page.locator("#review-grid thead th")).to_have_count(
        3 + len(HEADER)
    )  # select, row, "Will be"

    scroll_width, viewport = page_width(page)
    assert scroll_width == viewport == width

    boxes = page.evaluate(BOXES)
    covered = [cell["id"] for cell in boxes["cells"] if _overlaps(cell, boxes["panel"])]
    assert boxes["cells"] and covered == []

    menus = page.eval_on_selector_all(
        "select.mapping", "all => all.map((menu) => menu.getBoundingClientRect().width)"
    )
    assert len(menus) == len(HEADER) and min(menus) >= 90, menus
    expect(page.locator("#h-2 .sample")).to_contain_text("maximiliana.josefina")

    assert serious_violations(page) == []
    if size == "1280":
        save_screenshot(page, "review-grid.png")

    # A jump link of the panel, clicked with the mouse (no force): it lands on its cell.
    page.locator(".issues-list summary", has_text="invalid_email").click()  # opens its group
    link = page.locator(".issues-list").get_by_role("link", name="Row 7, Email")
    link.scroll_into_view_if_needed()
    link.click()
    expect(page.locator("#c-7-2")).to_be_focused()
    # The cell shows in the grid's box beside the pinned columns and below the header: whole,
    # or from its left edge when it is wider than the room left (a phone).
    inside = """() => {
      const box = document.querySelector('.grid-scroll').getBoundingClientRect();
      const cell = document.getElementById('c-7-2').getBoundingClientRect();
      const pinned = document.querySelector('#c-7-2').parentElement.querySelector('.pinned-last');
      const head = document.querySelector('#review-grid thead th').getBoundingClientRect();
      return cell.left >= pinned.getBoundingClientRect().right - 1 && cell.top >= head.bottom - 1
        && (cell.right <= box.right + 1 || Math.abs(cell.left - pinned.getBoundingClientRect().right) < 1)
        && cell.bottom <= box.bottom + 1;
    }"""
    assert page.evaluate(inside) is True
    # Scrolled, the box keeps its header row and its leading columns in view.
    page.locator(".grid-scroll").evaluate("(box) => box.scrollBy(400, 300)")
    header_at_top = """() => {
      const box = document.querySelector('.grid-scroll').getBoundingClientRect();
      const head = document.querySelector('#h-2').getBoundingClientRect();
      const row = document.querySelector('#review-grid tbody tr > :first-child').getBoundingClientRect();
      return [Math.round(head.top - box.top), Math.round(row.left - box.left)];
    }"""
    assert page.evaluate(header_at_top) == [1, 1]  # below and beside the box's border
