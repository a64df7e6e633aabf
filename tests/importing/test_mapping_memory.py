"""Remembered mappings at the core: which header they match, and what they change."""

from roster.accounts.models import Role
from roster.importing.intake import columns_for, decide
from roster.importing.mapping_memory import MappingMemory, header_key
from roster.importing.sources import read_text

HEADER = ("First Name", "Last Name", "Email", "Household Email", "Notes")


def test_case_spacing_and_punctuation_do_not_matter() -> None:
    assert (
        header_key(" Household  E-mail: ") == header_key("HOUSEHOLD E MAIL") == "household e mail"
    )
    assert header_key("Ｎｏｔｅｓ") == "notes"
    assert header_key("—") == ""
    assert len(header_key("Notes " * 100)) == 255


def test_a_recalled_mapping_changes_only_what_differs_from_the_first_guess() -> None:
    memory = MappingMemory(
        {
            ("student", "household email"): "parent_emails",
            ("student", "notes"): "",
            ("student", "email"): "email",  # the first guess already: nothing to say
            ("parent", "first name"): "last_name",  # another role's memory
        }
    )
    columns, recalled = memory.recall(columns_for(HEADER, Role.STUDENT), Role.STUDENT)
    assert columns.fields == ("first_name", "last_name", "email", "parent_emails", None)
    assert columns.ignored == frozenset({4}) and columns.unknown_columns == []
    assert [(each.column, each.sentence) for each in recalled] == [
        (3, "Mapped as last time: Household Email → Parent Email"),
        (4, "Mapped as last time: Notes → Ignored"),
    ]


def test_a_field_the_role_does_not_have_is_not_recalled() -> None:
    memory = MappingMemory({("instructor", "household email"): "parent_emails"})
    columns, recalled = memory.recall(columns_for(HEADER, Role.INSTRUCTOR), Role.INSTRUCTOR)
    assert recalled == () and columns.fields[3] is None


def test_intake_recalls_once_the_role_is_known_and_not_before() -> None:
    memory = MappingMemory({("student", "household email"): "parent_emails"})
    text = ",".join(HEADER) + "\nAda,Lovelace,ada@example.com,pat@example.com,\n"
    known = decide(read_text(text), Role.STUDENT, memory).tables[0]
    assert known.columns.fields[3] == "parent_emails" and len(known.recalled) == 1
    unknown = decide(read_text(text), None, memory).tables[0]
    assert unknown.role is None and unknown.recalled == ()
