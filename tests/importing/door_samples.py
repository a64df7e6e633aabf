"""Files admins bring, written out for the door-equivalence test (and item tests).

The product's own template filled in, the vendor exports of test_headers_exports.py with
a few rows of data each, and a workbook with a hidden tab. Each is written by the tests
into a folder, so it follows the template and the headers as they change.
"""

import io
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from openpyxl import load_workbook  # type: ignore[import-untyped]

from roster.importing import template
from tests.importing import test_headers_exports as exports
from tests.importing.sources.samples import write_xlsx

# Per role tab of the template: rows of cells in the template's column order.
# Student: First Name, Last Name, Email, Username, Phone, Parent Email, Instructor Email.
TEMPLATE_ROWS: dict[str, list[list[str]]] = {
    "Student": [
        ["Ada", "Lovelace", "ada@example.com", "", "(415) 555-0100", "pat@example.com", ""],
        ["Alan", "Turing", "", "alan.t", "", "pat@example.com", "tim@example.com"],
        ["Grace", "Hopper", "grace@example", "", "", "", "tim@example.com"],
        ["José", "Núñez", "jose@example.com", "jnunez", "+44 20 7946 0958", "", ""],
        ["@Bobby", "Tables", "bobby@example.com", "", "call me", "nobody@example.com", ""],
        ["Kim", "", "kim@example.com", "", "", "", ""],
        ["Dee", "Wu", "", "d", "", "", ""],
    ],
    "Instructor": [
        ["Tim", "Tutor", "tim@example.com", "", "ada@example.com"],
        ["Tess", "Teach", "TIM@example.com", "", ""],
    ],
    "Parent": [
        ["Pat", "Lovelace", "pat@example.com", "415-555-0199", "alan.t; ada@example.com"],
        ["Sam", "Núñez", "sam@example.com", "", "jose@example.com"],
    ],
}


def filled_template(path: Path) -> Path:
    """The downloadable template with its Student, Instructor and Parent tabs filled in.

    With 20 rows pre-formatted as text instead of 1,000: openpyxl reads and writes the
    full template in 2 s, this one in a tenth of that; the tabs are otherwise the same.
    """
    with mock.patch.object(template, "TEXT_ROWS", 20):
        written = template.template_bytes()
    book = load_workbook(io.BytesIO(written))
    for tab, rows in TEMPLATE_ROWS.items():
        sheet = book[tab]
        for number, cells in enumerate(rows, start=2):
            for column, value in enumerate(cells, start=1):
                if value:
                    sheet.cell(number, column, value)
    book.save(path)
    return path


def _csv(header: str, *rows: str) -> str:
    return "\n".join([header, *rows]) + "\n"


# Vendor exports as those systems name them, with rows under their real headers.
EXPORTS: dict[str, str] = {
    "oneroster-users.csv": _csv(
        exports.ONEROSTER_1_1,
        "u1,active,,true,o1,student,ann.l,,Ann,Lee,,,ann@example.com,,,p1,05,",
        "u2,active,,true,o1,teacher,,,Tim,Tutor,,,tim@example.com,,,,,",
        "u3,active,,true,o1,guardian,,,Pat,Lee,,,pat@example.com,,,u1,,",
        "u4,active,,true,o1,aide,,,Al,Aide,,,al@example.com,,,,,",
        "u5,active,,true,o1,,,,Bo,Blank,,,bo@example.com,,,,,",
    ),
    "canvas-users.csv": _csv(
        exports.CANVAS,
        '1,,cl1,,,,Cleo,Lee,Cleo Lee,"Lee, Cleo",Cleo,cleo@example.com,active,,,,',
        "2,,cl2,,,,Max,,Max,Max,Max,max@example,active,,,,",
    ),
    "moodle-upload.csv": _csv(
        exports.MOODLE,
        "mo1,pw,Mo,Ray,mo@example.com,manual,,,,,,,,,,,,,,,,c1,student,,,,",
    ),
    "google-workspace-staff.csv": _csv(
        exports.GOOGLE_WORKSPACE,
        "Gail,Works,gail@example.com,pw,,/Staff,,,,,,,,+1 415 555 0102" + "," * 15,
    ),
    "microsoft-365-users.csv": _csv(
        exports.MICROSOFT_365,
        "mia@example.com,Mia,Soft,Mia Soft,Tutor,Math,,,+1 415 555 0103,,,,,,,",
    ),
    "entra-parents.csv": "version:v1.0\n"
    + _csv(
        exports.ENTRA,
        "Eve Entra,eve@example.com,pw,No,Eve,Entra,,,,,,,,,,,+1 415 555 0104",
        "Only Name,only@example.com,pw,No,,,,,,,,,,,,,",
    ),
    "clever-students.csv": _csv(
        exports.CLEVER_STUDENTS,
        "s1,st1,1001,,Kid,,Carla,3,F,2035,2015-04-01,,,,,,,,,,,carla@example.com,mother,"
        "guardian,Mom Kid,,mom@example.com,,carla.k,",
    ),
    "clever-teachers.csv": _csv(
        exports.CLEVER_TEACHERS,
        "s1,t1,2001,,ted@example.com,Ted,,Teach,Mr.,ted.t,",
    ),
    "powerschool-students.csv": _csv(
        exports.POWERSCHOOL_STUDENTS,
        '3001,1,,,Paula,,Power,"Power, Paula",F,4,555-0100,pp1,,,,,,,,dad@example.com',
    ),
    "powerschool-teachers.csv": _csv(
        exports.POWERSCHOOL_TEACHERS,
        "4001,Pete,School,1,pete@example.com,4001",
    ),
    "Registration (Responses).csv": _csv(
        exports.GOOGLE_FORM.replace("|", ","),
        "2024-09-01 10:00,gf@example.com,Gina,Form,gfp@example.com,,5,,",
    ),
}


def hidden_tab_workbook(path: Path) -> Path:
    """Students on a visible tab, more people on a hidden one, and a notes tab."""
    write_xlsx(
        path,
        {
            "Students": [("A1", "First Name"), ("B1", "Last Name"), ("C1", "Email")]
            + [("A2", "Vis"), ("B2", "Ible"), ("C2", "vis@example.com")],
            "Old students": [("A1", "First Name"), ("B1", "Last Name"), ("C1", "Email")]
            + [("A2", "Hid"), ("B2", "Den"), ("C2", "hid@example.com")],
            "Notes": [("A1", "Notes"), ("A2", "Imported from the old system in May.")],
        },
    )
    book = load_workbook(path)
    book["Old students"].sheet_state = "hidden"
    book.save(path)
    return path


WRITERS: dict[str, Callable[[Path], Path]] = {
    "roster-template-filled.xlsx": filled_template,
    "students-with-hidden-tab.xlsx": hidden_tab_workbook,
}


def write_samples(folder: Path) -> list[Path]:
    """Every generated sample, written into `folder`."""
    paths = [writer(folder / name) for name, writer in WRITERS.items()]
    for name, text in EXPORTS.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
