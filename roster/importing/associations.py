"""Association columns → the new links of a plan, and the checks that need the directory.

A link's ends are Refs: an existing account's id (> 0), or ~index (< 0) of a person the
import creates. A link may be written on either side (a student's Parent Email, a
parent's Student column); it is made once, and only when it does not exist yet.
A row whose links fail (unknown_association, association_role_mismatch,
student_needs_parent) is skipped; a link to a skipped row is not made (that row's own
issues say why), which can leave a username-only student without a parent, so the
check runs again until nothing changes (once, in practice) — unless no other row named
the skipped ones and none of them gave a student a parent: then another pass would find
exactly this one's links less theirs, and it is not run (`_Pass.settled`; at 100,000
students with 2 % bad rows, planning a third faster).
"""

from array import array
from collections.abc import Collection
from dataclasses import dataclass, field

from roster.accounts.models import Role
from roster.importing.directory import Directory
from roster.importing.fields import identity_key
from roster.importing.issues import Issue, IssueCode
from roster.importing.people import LINK_SEPARATOR, SPLIT_POSITIONS
from roster.importing.validate import Validated, describe

SKIP = 3  # plan.Action.SKIP (plan imports this module)
# For a link field: the role it names and which kind of link it makes.
TARGETS: dict[str, Role] = {
    "parent_emails": Role.PARENT,
    "instructor_emails": Role.INSTRUCTOR,
    "students": Role.STUDENT,
}
KINDS = ("student_parent", "student_instructor")
Placed = tuple[tuple[int, int], Issue]  # an issue and its place: (source, row)
_MEMORY = 200_000  # link values remembered per field and pass, to bound memory
_COLUMN_WORD = {
    "parent_emails": "the parent column",
    "instructor_emails": "the instructor column",
    "students": "the student column",
}


@dataclass(frozen=True, slots=True)
class LinkList:
    """Pairs (student, other) as two parallel arrays of Refs."""

    students: array[int] = field(default_factory=lambda: array("q"))
    others: array[int] = field(default_factory=lambda: array("q"))

    def __len__(self) -> int:
        return len(self.students)


@dataclass(frozen=True, slots=True)
class Links:
    student_parent: LinkList
    student_instructor: LinkList
    # Links the import names that exist already, per kind: not made again, but recorded
    # with the applied import so that undoing an earlier one keeps them (undo/record.py).
    existing: dict[str, LinkList] = field(default_factory=dict)

    def of(self, kind: str) -> LinkList:
        found: LinkList = getattr(self, kind)
        return found

    def existing_of(self, kind: str) -> LinkList:
        return self.existing.get(kind) or LinkList()


def resolve_links(
    validated: Validated,
    directory: Directory,
    actions: bytearray,
    account_ids: array[int],
    issues: list["Placed"],
) -> Links:
    """The new links; rows whose links fail are marked SKIP and their issues added."""
    people = validated.people
    # Username-only students, found once: each pass checks that they still get a parent.
    lonely = people.without_email(Role.STUDENT)
    while True:
        found = _Pass(validated, directory, actions, account_ids, lonely)
        found.run()
        if not found.flagged:
            return found.links()
        for index, flags in found.flagged.items():
            actions[index] = SKIP
            person = people.view(index)
            issues.extend(((person.source, person.number), flag) for flag in flags)
        if RESUME and found.settled():
            # The next pass would find no issue and the same links, less the skipped rows'.
            return found.links(without=found.flagged.keys())


# Whether a pass that nothing else depended on ends the loop (tests compare both ways).
RESUME = True


def _kind(role: Role, link_field: str) -> str:
    if role is Role.STUDENT:
        return "student_parent" if link_field == "parent_emails" else "student_instructor"
    return "student_parent" if role is Role.PARENT else "student_instructor"


# Per role, each association field: (field, its position in a person's split values, the
# kind of link it makes for a row of that role).
_ROW_LINKS = {
    role: tuple(
        (link_field, SPLIT_POSITIONS[link_field], _kind(role, link_field)) for link_field in TARGETS
    )
    for role in (Role.STUDENT, Role.PARENT, Role.INSTRUCTOR)
}


def _key(student: int, other: int) -> int:
    return _encode(student) << 40 | _encode(other)


def _encode(ref: int) -> int:
    return 2 * ref if ref > 0 else 2 * ~ref + 1


class _Pass:
    def __init__(
        self,
        validated: Validated,
        directory: Directory,
        actions: bytearray,
        account_ids: array[int],
        lonely: list[int],
    ) -> None:
        self.validated, self.directory = validated, directory
        self.actions, self.account_ids = actions, account_ids
        self.flagged: dict[int, list[Issue]] = {}
        # Written on the student's row: unique, since each student has one row.
        self.own = {kind: LinkList() for kind in KINDS}
        # Written on the parent's or instructor's row: may repeat the student's side.
        self.declared: dict[str, dict[int, tuple[int, int]]] = {kind: {} for kind in KINDS}
        # Username-only students: their indexes, their refs, and the refs of those of them
        # who get a parent.
        self.lonely = lonely
        self.username_only = {self.ref(index) for index in lonely if actions[index] != SKIP}
        self.with_parent: set[int] = set()
        # What the next pass would see differently once the flagged rows are skipped: the
        # Refs link values named, and the rows that gave another row its parent.
        self.resolved: set[int] = set()
        self.gave_parent: set[int] = set()
        # Per link field: value → what _look_up found for it.
        self.targets: dict[str, dict[str, int | tuple[IssueCode, str]]] = {
            link_field: {} for link_field in TARGETS
        }

    def ref(self, index: int) -> int:
        return self.account_ids[index] or ~index

    def run(self) -> None:
        actions, row = self.actions, self._row
        for index, (role, values) in enumerate(self.validated.people.split()):
            if actions[index] != SKIP:
                row(index, role, values)
        for index in self.lonely:
            if actions[index] != SKIP and self._needs_parent(index):
                detail = "add a Parent Email to this row, or this student to a parent's row."
                self._flag(index, IssueCode.STUDENT_NEEDS_PARENT, "username", detail)

    def _row(self, index: int, role: Role, values: list[str]) -> None:
        me = self.account_ids[index] or ~index  # self.ref(index), without a call a row
        on_student = role is Role.STUDENT
        for link_field, position, kind in _ROW_LINKS[role]:
            packed = values[position]
            if not packed:
                continue
            own, declared = self.own[kind], self.declared[kind]
            known = self.targets[link_field]
            for value in packed.split(LINK_SEPARATOR):
                # What _target gives, without a call for a value looked up already.
                found = known.get(value)
                if type(found) is int:
                    target = found or None
                else:
                    target = self._target(index, link_field, value)
                if target is None:
                    continue
                student, other = (me, target) if on_student else (target, me)
                if on_student:
                    own.students.append(student)
                    own.others.append(other)
                else:
                    declared[_key(student, other)] = (student, other)
                if kind == "student_parent" and student in self.username_only:
                    self.with_parent.add(student)
                    if student != me:
                        self.gave_parent.add(index)

    def _target(self, index: int, link_field: str, value: str) -> int | None:
        # Many rows name the same parent or instructor: each value is looked up once a pass.
        known = self.targets[link_field]
        found = known.get(value)
        if found is None:
            found = self._look_up(link_field, value)
            if len(known) < _MEMORY:
                known[value] = found
            if isinstance(found, int) and found:
                self.resolved.add(found)
        if isinstance(found, int):
            return found or None
        self._flag(index, found[0], link_field, found[1])
        return None

    def _look_up(self, link_field: str, value: str) -> int | tuple[IssueCode, str]:
        """The Ref a link value names; 0 for no link and no issue; else the issue to flag."""
        key = identity_key(value)
        slot = self.validated.keys.get(key)
        known = self.directory.find(key)
        if slot is not None and slot >= 0 and self.actions[slot] != SKIP:
            found_role, ref = self.validated.people.role(slot), self.ref(slot)
        elif known is not None:
            found_role, ref = Role(known.role), known.id
        elif slot is not None:
            # In the import, but kept out for its own errors, which say what to fix; the
            # link is made when the fixed file is imported again. Not a second error here,
            # or one bad row would take every row linked to it out too.
            return 0
        else:
            return (
                IssueCode.UNKNOWN_ASSOCIATION,
                f"“{value}” is named in {_COLUMN_WORD[link_field]}.",
            )
        role = TARGETS[link_field]
        if found_role is not role:
            detail = f"“{value}” is {_a(found_role.label)}, not {_a(role.label)}."
            return IssueCode.ASSOCIATION_ROLE_MISMATCH, detail
        return ref

    def _needs_parent(self, index: int) -> bool:
        username = self.validated.people.view(index).username
        known = self.directory.find(identity_key(username))
        if known is not None and (known.email or self.directory.has_parent(known.id)):
            return False
        return self.ref(index) not in self.with_parent

    def _flag(self, index: int, code: IssueCode, column: str, detail: str) -> None:
        person = self.validated.people.view(index)
        source = self.validated.sources[person.source]
        issue = Issue(
            code=code,
            message=describe(code, detail),
            file=source.file,
            sheet=source.sheet_for(person.role),
            row=person.number,
            column=source.columns[column],
        )
        self.flagged.setdefault(index, []).append(issue)

    def settled(self) -> bool:
        """Whether skipping the flagged rows changes nothing for the others: no link value
        named one of them, and none gave a username-only student a parent. Then the next
        pass would look up the same values with the same answers, flag nothing, and make
        this pass's links less those the flagged rows wrote themselves."""
        flagged = {self.ref(index) for index in self.flagged}
        return not (flagged & self.resolved) and not (self.gave_parent & self.flagged.keys())

    def links(self, without: Collection[int] = ()) -> Links:
        """The links found, less those written on the rows `without` (indexes)."""
        skipped = {self.ref(index) for index in without}
        existing = {kind: LinkList() for kind in KINDS}
        result = {kind: self._new(kind, existing[kind], skipped) for kind in KINDS}
        return Links(result["student_parent"], result["student_instructor"], existing)

    def _new(self, kind: str, named: LinkList, skipped: set[int]) -> LinkList:
        existing = (
            self.directory.student_parent
            if kind == "student_parent"
            else (self.directory.student_instructor)
        )
        declared = self.declared[kind]
        own = self.own[kind]
        new = LinkList()
        # A student's own pairs come from its row, together: two values of the row that
        # name one account make one link (apply inserts a new student's links without
        # looking for ones already there, so each pair must be there once).
        current, others = 0, set[int]()
        for student, other in zip(own.students, own.others, strict=True):
            if skipped and student in skipped:
                continue  # written on a student's row that is skipped now
            if student != current:
                current, others = student, set()
            elif other in others:
                continue
            others.add(other)
            if not declared or _key(student, other) not in declared:
                _add(new, student, other, existing, named)
        for student, other in declared.values():
            if not (skipped and other in skipped):  # else written on a skipped row
                _add(new, student, other, existing, named)
        return new


def _add(
    links: LinkList,
    student: int,
    other: int,
    existing: frozenset[tuple[int, int]],
    named: LinkList,
) -> None:
    if student > 0 and other > 0 and (student, other) in existing:
        named.students.append(student)  # imports only add links; this one is already there
        named.others.append(other)
        return
    links.students.append(student)
    links.others.append(other)


def _a(noun: str) -> str:
    """'a parent', 'an instructor', 'an admin'."""
    word = noun.lower()
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"
