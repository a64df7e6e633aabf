"""Which role a table holds (from its names or headers), or a row holds (from a role cell)."""

from collections import Counter
from collections.abc import Sequence

from roster.accounts.roles import Role
from roster.importing.header_words import header_words, words_of
from roster.importing.synonyms import PERSON_WORDS, ROLE, claim

# Words that name a whole table of people ("Students", "Teachers", "Guardians", "Families").
_TABLE_WORDS: dict[str, Role] = {
    **PERSON_WORDS,
    "family": Role.PARENT,
    "families": Role.PARENT,
    "contact": Role.PARENT,
}
# A role value in a per-row role column. OneRoster: student, teacher, parent, guardian,
# relative (others — administrator, aide, proctor — are not people Roster imports);
# Canvas calls a parent an "observer".
_CELL_WORDS: dict[str, Role] = {
    **dict.fromkeys(("student", "learner", "pupil"), Role.STUDENT),
    **dict.fromkeys(("teacher", "instructor", "tutor"), Role.INSTRUCTOR),
    **dict.fromkeys(("parent", "guardian", "relative", "observer"), Role.PARENT),
    **dict.fromkeys(("mother", "father"), Role.PARENT),
}

# Header words that only a table of one role carries.
_HINT_WORDS: dict[Role, frozenset[str]] = {
    Role.STUDENT: frozenset({"grade", "dob", "birth", "birthday", "graduation", "homeroom"}),
    Role.INSTRUCTOR: frozenset({"title", "subject", "hire", "certification", "qualification"}),
    Role.PARENT: frozenset({"relationship", "relation", "custody", "custodial"}),
}


def role_from_cell(text: str) -> Role | None:
    """A per-row role value: student; teacher → instructor; parent/guardian → parent."""
    words, _ = words_of(text)
    return _CELL_WORDS.get(words[0]) if len(words) == 1 else None


def guess_role(table_name: str, file_name: str | None, header: Sequence[str]) -> Role | None:
    """The role of a table from its sheet name, then file name, then headers; None if unsure.

    A name counts when it names exactly one role ("Students", "teachers_2024.csv"). Headers
    count when they hint at exactly one role: a parent's email, a grade or a birth date on
    a student's row; a job title or subject on an instructor's; a relationship on a
    parent's. A "Student" column alone fits both parents and instructors, and a role
    column means each row carries its own role: both give None.
    """
    for name in (table_name, file_name or ""):
        role = _role_named(name)
        if role is not None:
            return role
    return _role_from_header(header)


def _role_named(name: str) -> Role | None:
    words, _ = words_of(name.rsplit(".", 1)[0] if "." in name else name)
    roles = {_TABLE_WORDS[word] for word in words if word in _TABLE_WORDS}
    return roles.pop() if len(roles) == 1 else None


def _role_from_header(header: Sequence[str]) -> Role | None:
    columns = [header_words(text) for text in header]
    for words in columns:
        column = claim(words.words, words.number, None)
        if column is not None and column.field == ROLE:
            return None
    # A "Student" (or "Children") column links a parent or instructor to students; next to
    # it, a parent's or teacher's email is the row's own, not a student's link.
    links_students = any(_links_students(words.words) for words in columns)
    hints: Counter[Role] = Counter()
    for words in columns:
        hints.update(_hints(frozenset(words.words), links_students))
    if not hints:
        return None
    (best, count), *rest = hints.most_common()
    return best if not rest or rest[0][1] < count else None


def _links_students(words: tuple[str, ...]) -> bool:
    # "Student", "Children", "Student Username". Not "Student Email" nor "Student Name":
    # on a student's own row they are the student's own (Clever, Google Forms).
    children = {"student", "child", "kid"}
    return bool(set(words) & children) and set(words) - children in ({"user", "name"}, set())


def _hints(words: frozenset[str], links_students: bool) -> list[Role]:
    found = [role for role, role_words in _HINT_WORDS.items() if words & role_words]
    people = {PERSON_WORDS[word] for word in words if word in PERSON_WORDS}
    if links_students:
        found.extend(people - {Role.STUDENT})
    elif Role.PARENT in people and "email" in words:
        # Only a student's row names their parent's email.
        found.append(Role.STUDENT)
    # A teacher's id or number names the row's own person (Clever teachers.csv,
    # PowerSchool's TeacherNumber).
    if Role.INSTRUCTOR in people and words & {"id", "number"}:
        found.append(Role.INSTRUCTOR)
    return found
