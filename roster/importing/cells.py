"""One import's cell checks: fields.py's rules, with the values an import repeats remembered.

An import names the same first names, last names and phones over and over (a family's
phone comes back on each child's row), and a phone costs about 100 µs to parse and
validate. Field.check is pure, so its answer for a field's text is kept for the rest of
the import; emails have their own fast path and memory (emails.py). An association
cell is read once per distinct text: a parent is named by each of their children, an
instructor by a whole class.

The row checks (rowcheck.py) keep one more memory here: for a cell whose checks raised
no flag at all, what it stored (a name, a phone, a link cell's values), so the next cell
holding the same text is answered with one look-up.
"""

from roster.importing.emails import EmailChecker
from roster.importing.fields import Checked, Field, check_username, link_values
from roster.importing.people import LINK_FIELDS

_REMEMBERED = ("first_name", "last_name", "phone")
_CLEAN = ("first_name", "last_name", "username", "phone")  # own emails are unique
_MEMORY = 100_000  # values remembered per field, to bound memory on a huge import
# Clean cells remembered per field, as a share of that: the texts that come back often (a
# class's instructor, common names) come early; a family's cells come back only a few
# times, and a million-row import held ~40 MB more remembering 100,000 of each.
_CLEAN_SHARE = 5


class CellChecker:
    """Field checks for one import in one region: one instance per import."""

    def __init__(self, region: str, memory: int = _MEMORY) -> None:
        self.region = region
        self.memory = memory
        self.clean_memory = memory // _CLEAN_SHARE
        self.emails = EmailChecker(memory=2 * memory)
        self._seen: dict[str, dict[str, Checked]] = {name: {} for name in _REMEMBERED}
        self._links: dict[tuple[str, bool], tuple[tuple[str, Checked], ...]] = {}
        # Field name → {cell text: what the row checks stored}, for cells that raised no flag.
        self.clean: dict[str, dict[str, str]] = {name: {} for name in _CLEAN}
        self.clean_links: dict[str, dict[str, tuple[str, ...]]] = {name: {} for name in LINK_FIELDS}

    def remember_clean(self, name: str, raw: str, stored: str) -> None:
        """What a cell of field `name` holding `raw` stored, having raised no flag; its
        field check's answer is no longer needed (one memory of a text, not two)."""
        clean = self.clean[name]
        if len(clean) < self.clean_memory:
            clean[raw] = stored
            if (seen := self._seen.get(name)) is not None:
                seen.pop(raw, None)

    def remember_clean_links(self, name: str, raw: str, values: tuple[str, ...]) -> None:
        """The values an association cell of field `name` holding `raw` stored, no flag."""
        clean = self.clean_links[name]
        if len(clean) < self.clean_memory:
            clean[raw] = values
            self._links.pop((raw, name == "students"), None)

    def __call__(self, field: Field, raw: str) -> Checked:
        """field.check(raw) in this import's region."""
        seen = self._seen.get(field.name)
        if seen is None:
            return field.check(raw, region=self.region)
        checked = seen.get(raw)
        if checked is None:
            checked = field.check(raw, region=self.region)
            if len(seen) < self.memory:
                seen[raw] = checked
        return checked

    def links(self, raw: str, *, usernames: bool) -> tuple[tuple[str, Checked], ...]:
        """Each value of an association cell, checked as an email, or as a username when
        `usernames` allows it and the value has no @."""
        found = self._links.get((raw, usernames))
        if found is None:
            found = tuple((value, self._link(value, usernames)) for value in link_values(raw))
            if len(self._links) < self.memory:
                self._links[raw, usernames] = found
        return found

    def _link(self, value: str, usernames: bool) -> Checked:
        if usernames and "@" not in value:
            return check_username(value)
        return self.emails(value, remember=True)
