"""Which files given together make a OneRoster bundle: users.csv and another of its files.

Any one of them alone is read as any table, as the web wizard (one file per tab) reads
it, so every door gives the same answer for the same file (issue 10).
"""

import pytest

from roster.importing.bundles import oneroster
from roster.importing.bundles.bundle import NO_BUNDLE
from roster.importing.sources import ReadResult, Row, Table

HEADERS = {
    "users.csv": ("sourcedId", "role", "givenName", "familyName", "email"),
    "manifest.csv": ("propertyName", "value"),
    "enrollments.csv": ("sourcedId", "classSourcedId", "userSourcedId", "role"),
    "classes.csv": ("sourcedId", "title"),
    "people.csv": ("First Name", "Last Name", "Email"),  # not a bundle's file
}
ROWS = {
    "users.csv": ("s1", "student", "Ana", "Ruiz", "ana@example.com"),
    "manifest.csv": ("oneroster.version", "1.1"),
    "enrollments.csv": ("e1", "c1", "s1", "student"),
    "classes.csv": ("c1", "Maths"),
    "people.csv": ("Ben", "Cho", "ben@example.com"),
}


def _results(*names: str) -> list[ReadResult]:
    return [
        ReadResult(
            name,
            [Table(name.removesuffix(".csv"), HEADERS[name], 1, iter([Row(2, ROWS[name])]))],
        )
        for name in names
    ]


@pytest.mark.parametrize(
    "names",
    [
        ("users.csv",),
        ("users.csv", "people.csv"),
        ("enrollments.csv",),
        ("enrollments.csv", "classes.csv", "manifest.csv"),
    ],
)
def test_no_bundle_without_users_csv_and_another_of_its_files(names: tuple[str, ...]) -> None:
    assert oneroster.take(_results(*names)) == NO_BUNDLE


def test_users_csv_and_manifest_csv_are_a_bundle() -> None:
    bundle = oneroster.take(_results("people.csv", "users.csv", "manifest.csv"))
    assert (bundle.files, bundle.home) == (frozenset({1, 2}), 1)
    assert [each.role for each in bundle.tables] == ["student"]
