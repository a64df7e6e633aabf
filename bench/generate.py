"""Generated imports for the engine benchmark: N students, N/2 parents, N/20 instructors.

    python -m bench.generate 100000        # writes bench/out/engine-100000/{people.xlsx,*.csv}

Students name their parent (two students per parent) and an instructor; one student in
ten has a username and no email; about 2 % of rows are bad (an invalid email, a missing
last name, a parent nobody has heard of). Files are reused when present.
"""

import csv
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import xlsxwriter  # type: ignore[import-untyped]

OUT = Path(__file__).parent / "out"
STUDENT_HEADER = [
    "First Name",
    "Last Name",
    "Email",
    "Username",
    "Phone",
    "Parent Email",
    "Instructor Email",
]
OTHER_HEADER = ["First Name", "Last Name", "Email", "Phone", "Student"]
FIRST = ["Ann", "Bo", "Chloé", "Dmitri", "Emeka", "Fatima", "Giulia", "Hana", "José", "Zoë"]
LAST = ["Lee", "Ng", "Müller", "O'Brien", "García", "Nguyen", "Okafor", "Rossi", "Smith"]


def students(n: int, rng: random.Random) -> Iterator[list[str]]:
    instructors = max(1, n // 20)
    for i in range(n):
        email, username = f"student{i}@school.example.com", ""
        if i % 10 == 9:
            email, username = "", f"student{i}"
        last = rng.choice(LAST)
        parent = f"parent{i // 2}@family.example.com"
        bad = rng.random()
        if bad < 0.007:
            email, username = f"student{i}@@broken", ""
        elif bad < 0.014:
            last = ""
        elif bad < 0.02:
            parent = f"stranger{i}@nowhere.example.com"
        phone = f"(415) 555-{i % 10000:04d}" if i % 3 == 0 else ""
        yield [
            rng.choice(FIRST),
            last,
            email,
            username,
            phone,
            parent,
            f"teacher{i % instructors}@school.example.com",
        ]


def parents(n: int, rng: random.Random) -> Iterator[list[str]]:
    for i in range(n // 2):
        yield [rng.choice(FIRST), rng.choice(LAST), f"parent{i}@family.example.com", "", ""]


def instructors(n: int, rng: random.Random) -> Iterator[list[str]]:
    for i in range(max(1, n // 20)):
        yield [rng.choice(FIRST), rng.choice(LAST), f"teacher{i}@school.example.com", "", ""]


TABS = (
    ("Students", STUDENT_HEADER, students),
    ("Parents", OTHER_HEADER, parents),
    ("Teachers", OTHER_HEADER, instructors),
)


def generate(n: int) -> Path:
    folder = OUT / f"engine-{n}"
    if (folder / "people.xlsx").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(folder / "people.tmp.xlsx"), {"constant_memory": True})
    text = book.add_format({"num_format": "@"})
    for name, header, rows in TABS:
        sheet = book.add_worksheet(name)
        with (folder / f"{name.lower()}.csv").open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            for number, row in enumerate([header, *rows(n, random.Random(n))]):
                writer.writerow(row)
                for column, value in enumerate(row):
                    sheet.write_string(number, column, value, text)
    book.close()
    (folder / "people.tmp.xlsx").rename(folder / "people.xlsx")
    return folder


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["10000"]:
        print(generate(int(arg)))
