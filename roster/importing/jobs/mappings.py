"""Remembered mappings in the review: remember an admin's mapping, recall it, forget it.

The memory itself and the rule are mapping_memory.py; intake.decide applies it when a
job is created. Here: the review's side, inside the change that causes it.
"""

from roster.importing.intake import columns_for
from roster.importing.jobs.tables import tab_role
from roster.importing.mapping_memory import (
    IGNORED,
    Recalled,
    Scope,
    field_choices,
    field_label,
    header_key,
    scope_of,
)
from roster.importing.models import ImportTab, RememberedMapping


def tab_scope(tab: ImportTab) -> Scope | None:
    """The tab's memory and menu: its role's fields, or every role's with a role column."""
    return scope_of(columns_for(tab.header, tab_role(tab)), tab_role(tab))


def mapping_choices(tab: ImportTab) -> list[tuple[str, str]]:
    """The fields a column of this tab may be mapped to (name, label): the same scope as
    its first guess and its memory, so the menu offers what the tab may be mapped to."""
    return field_choices(tab_scope(tab) or "")


def remember_choice(tab: ImportTab, column: int, field: str | None) -> None:
    """The admin mapped `column` of `tab`: the organization remembers it for its header.

    Mapping a column back to the first guess forgets the header instead (nothing left
    to remember); a header without letters or digits is not remembered.
    """
    first_guess = columns_for(tab.header, tab_role(tab))
    scope = scope_of(first_guess, tab_role(tab))
    key = header_key(tab.header[column])
    if scope is None or not key:
        return
    if field is not None and first_guess.fields[column] == field:
        RememberedMapping.objects.filter(
            organization_id=tab.organization_id, scope=scope, header_key=key
        ).delete()
    else:
        # An upsert: two admins mapping the same header at once both succeed, the later wins.
        remembered = RememberedMapping(
            organization_id=tab.organization_id,
            scope=scope,
            header_key=key,
            header=tab.header[column][:255],
            field=field or IGNORED,
        )
        RememberedMapping.objects.bulk_create(
            [remembered],
            update_conflicts=True,
            unique_fields=["organization", "scope", "header_key"],
            update_fields=["header", "field", "updated_at"],
        )
    # This tab's column is the admin's own choice now, not one recalled.
    tab.recalled = [pair for pair in tab.recalled if pair[0] != column]


def recall_into(tab: ImportTab) -> None:
    """A tab whose role was just chosen: its columns mapped as the organization's memory
    says (as intake.decide maps a tab whose role is known at once)."""
    memory = RememberedMapping.objects.memory_of(tab.organization_id)
    _, recalled = memory.recall(columns_for(tab.header, tab_role(tab)), tab_role(tab))
    tab.choices = {**tab.choices, **{str(each.column): each.field for each in recalled}}
    tab.recalled = [[each.column, each.field] for each in recalled]


def recalled_columns(tab: ImportTab) -> list[Recalled]:
    """The tab's columns still mapped from memory, for the review's note."""
    scope = tab_scope(tab) or ""
    return [
        Recalled(column, tab.header[column], field, field_label(scope, field))
        for column, field in tab.recalled
    ]


def forget_recalled(tab: ImportTab, column: int) -> bool:
    """Forget the memory behind a recalled column and map it by the first guess again;
    False when the column was not mapped from memory."""
    if column not in [pair[0] for pair in tab.recalled]:
        return False
    scope = tab_scope(tab)
    RememberedMapping.objects.filter(
        organization_id=tab.organization_id,
        scope=scope,
        header_key=header_key(tab.header[column]),
    ).delete()
    tab.choices = {key: value for key, value in tab.choices.items() if key != str(column)}
    tab.recalled = [pair for pair in tab.recalled if pair[0] != column]
    return True


SYSTEMS = {"oneroster": "OneRoster", "canvas": "Canvas", "clever": "Clever"}


def id_column_note(tab: ImportTab) -> str:
    """What the review says of a bundle's id column, whatever its mapping ("" for a tab
    without one): the import matches people by it first (docs/import-rules.md)."""
    column = tab.id_column
    if not tab.id_source or column is None or not 0 <= column < len(tab.header):
        return ""
    system = SYSTEMS.get(tab.id_source, tab.id_source)
    return (
        f"People on this tab are matched to their accounts by their {system} id"
        f" ({tab.header[column]}) first, then by email or username. Roster keeps the id, so"
        " next year's export updates the same people."
    )
