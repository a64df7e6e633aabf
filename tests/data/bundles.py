"""Generated school-system bundles (OneRoster 1.2, Canvas SIS, Clever SFTP) for tests.

Written from the field names of each published format (the IMS OneRoster 1.2 CSV
binding, Canvas's doc/api/sis_csv.md, Clever's SFTP instructions); the people are made
up. Each generator writes its files into a folder and returns their paths, in the order a
school would give them. The lists below are module constants: a test that changes one
(an extra row) must restore it.
"""

import csv
from collections.abc import Sequence
from pathlib import Path


def write_csv(
    folder: Path, name: str, header: Sequence[str], rows: Sequence[dict[str, str]]
) -> str:
    """A CSV file as the exports write it: every header cell, blanks for the rest."""
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, list(header), restval="")  # quotes "a,b" as they do
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


# --- OneRoster 1.2 -------------------------------------------------------------------

ONEROSTER12_USERS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
    "userMasterIdentifier",
    "resourceSourcedIds",
    "preferredGivenName",
    "preferredMiddleName",
    "preferredFamilyName",
    "primaryOrgSourcedId",
    "pronouns",
]
ONEROSTER12_ROLES = [
    "sourcedId",
    "status",
    "dateLastModified",
    "userSourcedId",
    "roleType",
    "role",
    "beginDate",
    "endDate",
    "orgSourcedId",
    "userProfileSourcedId",
]
ONEROSTER_ENROLLMENTS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "classSourcedId",
    "schoolSourcedId",
    "userSourcedId",
    "role",
    "primary",
    "beginDate",
    "endDate",
]
# sourcedId, username, givenName, preferredGivenName, familyName, email, agentSourcedIds
ONEROSTER12_PEOPLE = [
    ("s1", "ana.ruiz", "Anabel", "Ana", "Ruiz", "ana@example.com", "g1"),
    ("s2", "ben7", "Ben", "", "Cho", "", "g1"),  # username only: g1 is their parent
    ("t1", "", "Tess", "", "Ford", "tess@example.org", ""),
    ("t2", "", "Ugo", "", "Gray", "ugo@example.org", ""),  # student secondary, teacher primary
    ("g1", "", "Hana", "", "Ruiz", "hana@example.net", "s1,s2"),
    ("a1", "", "Kim", "", "Lane", "kim@example.org", ""),  # administrator
    ("n1", "", "Ola", "", "Park", "ola@example.com", ""),  # only a role OneRoster lacks
]
# userSourcedId, roleType, role
ONEROSTER12_ROLE_ROWS = [
    ("s1", "primary", "student"),
    ("s2", "primary", "student"),
    ("t1", "primary", "teacher"),
    ("t2", "secondary", "student"),
    ("t2", "primary", "teacher"),
    ("g1", "primary", "guardian"),
    ("a1", "primary", "administrator"),
    ("n1", "primary", "studnet"),
    ("z9", "primary", "student"),  # names no one in users.csv
]
# classSourcedId, userSourcedId, role
ONEROSTER12_ENROLLMENTS = [
    ("c1", "t1", "teacher"),
    ("c1", "s1", "student"),
    ("c1", "s2", "student"),
    ("c2", "t2", "teacher"),
    ("c2", "s1", "student"),
]


def oneroster12_bundle(folder: Path) -> list[str]:
    users = [
        {
            "sourcedId": sid,
            "status": "active",
            "enabledUser": "true",
            "username": username,
            "userIds": f"{{district:{sid}}}",
            "givenName": given,
            "preferredGivenName": preferred,
            "familyName": family,
            "email": email,
            "agentSourcedIds": agents,
            "primaryOrgSourcedId": "sch1",
            "pronouns": "they/them" if sid == "s2" else "",
        }
        for sid, username, given, preferred, family, email, agents in ONEROSTER12_PEOPLE
    ]
    roles = [
        {"sourcedId": f"r{n}", "status": "active", "userSourcedId": user}
        | {"roleType": kind, "role": role, "orgSourcedId": "sch1"}
        for n, (user, kind, role) in enumerate(ONEROSTER12_ROLE_ROWS)
    ]
    enrollments = [
        {"sourcedId": f"e{n}", "status": "active", "classSourcedId": klass}
        | {"schoolSourcedId": "sch1", "userSourcedId": user, "role": role}
        for n, (klass, user, role) in enumerate(ONEROSTER12_ENROLLMENTS)
    ]
    manifest = [
        {"propertyName": "manifest.version", "value": "1.0"},
        {"propertyName": "oneroster.version", "value": "1.2"},
    ]
    return [
        write_csv(folder, "manifest.csv", ["propertyName", "value"], manifest),
        write_csv(folder, "users.csv", ONEROSTER12_USERS, users),
        write_csv(folder, "roles.csv", ONEROSTER12_ROLES, roles),
        write_csv(folder, "enrollments.csv", ONEROSTER_ENROLLMENTS, enrollments),
    ]


# --- Canvas SIS import ---------------------------------------------------------------

CANVAS_USERS = [
    "user_id",
    "integration_id",
    "login_id",
    "password",
    "first_name",
    "last_name",
    "full_name",
    "sortable_name",
    "short_name",
    "email",
    "status",
]
CANVAS_ENROLLMENTS = [
    "course_id",
    "root_account",
    "user_id",
    "role",
    "role_id",
    "section_id",
    "status",
    "associated_user_id",
]
# user_id, login_id, first_name, last_name, full_name, email, status
CANVAS_PEOPLE = [
    ("u1", "ana.r", "Ana", "Ruiz", "", "ana@example.com", "active"),
    ("u2", "ben.cho", "Ben", "Cho", "", "", "active"),  # no email: login_id is the username
    ("u3", "cai", "", "", "Cai Diaz", "cai@example.com", "active"),  # full name, split
    ("u4", "dora", "Dora", "Voss", "", "dora@example.com", "deleted"),
    ("u5", "dev", "Dev", "Eke", "", "dev@example.com", "active"),
    ("t1", "tess", "Tess", "Ford", "", "tess@example.org", "active"),
    ("t2", "ugo", "Ugo", "Gray", "", "ugo@example.org", "active"),  # a TA
    ("o1", "hana", "Hana", "Cho", "", "hana@example.net", "active"),  # user_observers.csv
    ("o2", "ian", "Ian", "Ruiz", "", "ian@example.net", "active"),  # observer enrollment
    ("d1", "des", "Des", "Moss", "", "des@example.org", "active"),  # a designer
    ("n1", "nia", "Nia", "Best", "", "nia@example.org", "active"),  # no enrollment
]
# course_id, user_id, role, section_id, status, associated_user_id
CANVAS_ENROLLMENT_ROWS = [
    ("C1", "t1", "teacher", "S1", "active", ""),
    ("C1", "u1", "student", "S1", "active", ""),
    ("C1", "u2", "student", "S1", "active", ""),
    ("C1", "u3", "student", "S2", "active", ""),  # S2 has no teacher: C1's teach them
    ("C1", "u4", "student", "S1", "active", ""),
    ("C2", "t2", "ta", "", "active", ""),
    ("C2", "u5", "student", "", "active", ""),
    ("C1", "o2", "observer", "S1", "active", "u1"),
    ("C2", "d1", "designer", "", "active", ""),
    ("C2", "u404", "student", "", "active", ""),  # names no one in users.csv
    ("C2", "u1", "student", "", "deleted", ""),  # deleted: no link to C2's TA
]
# observer_id, student_id, status
CANVAS_OBSERVERS = [("o1", "u2", "active"), ("o1", "u999", "active"), ("o1", "u5", "deleted")]


def canvas_bundle(folder: Path) -> list[str]:
    users = [
        dict(
            zip(
                ["user_id", "login_id", "first_name", "last_name", "full_name", "email", "status"],
                person,
                strict=True,
            )
        )
        | {"sortable_name": f"{person[3]}, {person[2]}" if person[2] else ""}
        for person in CANVAS_PEOPLE
    ]
    enrollments = [
        dict(
            zip(
                ["course_id", "user_id", "role", "section_id", "status", "associated_user_id"],
                row,
                strict=True,
            )
        )
        for row in CANVAS_ENROLLMENT_ROWS
    ]
    observers = [
        dict(zip(["observer_id", "student_id", "status"], row, strict=True))
        for row in CANVAS_OBSERVERS
    ]
    courses = [
        {"course_id": c, "short_name": f"MATH{c}", "long_name": f"Maths {c}", "status": "active"}
        for c in ("C1", "C2")
    ]
    sections = [
        {"section_id": s, "course_id": "C1", "name": f"Section {s}", "status": "active"}
        for s in ("S1", "S2")
    ]
    return [
        write_csv(folder, "users.csv", CANVAS_USERS, users),
        write_csv(folder, "enrollments.csv", CANVAS_ENROLLMENTS, enrollments),
        write_csv(folder, "user_observers.csv", ["observer_id", "student_id", "status"], observers),
        write_csv(
            folder,
            "courses.csv",
            ["course_id", "short_name", "long_name", "account_id", "term_id", "status"],
            courses,
        ),
        write_csv(
            folder,
            "sections.csv",
            ["section_id", "course_id", "name", "status", "start_date", "end_date"],
            sections,
        ),
        write_csv(
            folder,
            "terms.csv",
            ["term_id", "name", "status", "start_date", "end_date"],
            [{"term_id": "T1", "name": "Fall", "status": "active"}],
        ),
    ]


# --- Clever SFTP ---------------------------------------------------------------------

CLEVER_STUDENTS = [
    "School_id",
    "Student_id",
    "Student_number",
    "State_id",
    "Last_name",
    "Middle_name",
    "First_name",
    "Grade",
    "Gender",
    "Dob",
    "Student_email",
    "Username",
    "Contact_name",
    "Contact_type",
    "Contact_phone",
    "Contact_email",
    "Contact_relationship",
]
CLEVER_TEACHERS = [
    "School_id",
    "Teacher_id",
    "Teacher_number",
    "State_teacher_id",
    "Last_name",
    "Middle_name",
    "First_name",
    "Teacher_email",
    "Title",
    "Username",
    "Password",
]
CLEVER_SECTIONS = [
    "School_id",
    "Section_id",
    "Teacher_id",
    "Teacher_2_id",
    "Name",
    "Grade",
    "Course_name",
    "Subject",
    "Period",
    "Term_name",
]
# Student_id, First_name, Last_name, Student_email, Username, Contact_name, Contact_phone,
# Contact_email, Contact_relationship
CLEVER_STUDENT_ROWS = [
    (
        "st1",
        "Ana",
        "Ruiz",
        "ana@example.com",
        "",
        "Hana Ruiz",
        "4155550101",
        "hana@example.net",
        "Mother",
    ),
    ("st1", "Ana", "Ruiz", "ana@example.com", "", "Ian Ruiz", "", "ian@example.net", "Father"),
    ("st2", "Ben", "Ruiz", "", "ben.ruiz", "Hana Ruiz", "4155550101", "HANA@example.net", "Mother"),
    ("st3", "Cai", "Diaz", "cai@example.com", "", "", "", "", ""),
    ("st4", "Dev", "Eke", "dev@example.com", "", "Kim Eke", "4155550199", "", "Aunt"),
]
# Teacher_id, First_name, Last_name, Teacher_email, School_id
CLEVER_TEACHER_ROWS = [
    ("tc1", "Tess", "Ford", "tess@example.org", "sch1"),
    ("tc2", "Ugo", "Gray", "ugo@example.org", "sch1"),
    ("tc1", "Tess", "Ford", "tess@example.org", "sch2"),  # teaches at two schools
]
# Section_id, Teacher_id, Teacher_2_id
CLEVER_SECTION_ROWS = [("sec1", "tc1", ""), ("sec2", "tc2", "tc1"), ("sec3", "tc9", "")]
# Section_id, Student_id
CLEVER_ENROLLMENT_ROWS = [
    ("sec1", "st1"),
    ("sec1", "st2"),
    ("sec2", "st3"),
    ("sec2", "st4"),
    ("sec1", "st404"),  # names no student
    ("sec9", "st3"),  # names no section
]


def clever_bundle(folder: Path) -> list[str]:
    students = [
        dict(
            zip(
                [
                    "Student_id",
                    "First_name",
                    "Last_name",
                    "Student_email",
                    "Username",
                    "Contact_name",
                    "Contact_phone",
                    "Contact_email",
                    "Contact_relationship",
                ],
                row,
                strict=True,
            )
        )
        | {
            "School_id": "sch1",
            "Student_number": f"N{row[0]}",
            "Grade": "5",
            "Contact_type": "guardian" if row[5] else "",
        }
        for row in CLEVER_STUDENT_ROWS
    ]
    teachers = [
        dict(
            zip(
                ["Teacher_id", "First_name", "Last_name", "Teacher_email", "School_id"],
                row,
                strict=True,
            )
        )
        | {"Title": "Teacher"}
        for row in CLEVER_TEACHER_ROWS
    ]
    sections = [
        {
            "School_id": "sch1",
            "Section_id": s,
            "Teacher_id": t,
            "Teacher_2_id": t2,
            "Name": f"Maths {s}",
        }
        for s, t, t2 in CLEVER_SECTION_ROWS
    ]
    enrollments = [
        {"School_id": "sch1", "Section_id": s, "Student_id": st} for s, st in CLEVER_ENROLLMENT_ROWS
    ]
    schools = [
        {"School_id": "sch1", "School_name": "North School"},
        {"School_id": "sch2", "School_name": "South School"},
    ]
    return [
        write_csv(
            folder,
            "schools.csv",
            [
                "School_id",
                "School_name",
                "School_number",
                "State_id",
                "Low_grade",
                "High_grade",
                "Principal",
                "Principal_email",
            ],
            schools,
        ),
        write_csv(folder, "students.csv", CLEVER_STUDENTS, students),
        write_csv(folder, "teachers.csv", CLEVER_TEACHERS, teachers),
        write_csv(folder, "sections.csv", CLEVER_SECTIONS, sections),
        write_csv(
            folder, "enrollments.csv", ["School_id", "Section_id", "Student_id"], enrollments
        ),
    ]
