"""The downloadable "Add Multiple Users" template (.xlsx), generated from the field catalogue.

An Instructions tab, then one tab per role (Student, Instructor, Parent) whose headers are
the catalogue's labels, so a filled-in template maps exactly, column for column. None of
the catalogue's fields is a choice among fixed values, so no column has a dropdown; each
has a length check instead, from the field's limit.
"""

import io
from typing import BinaryIO

# XlsxWriter ships without type information; the project's mypy settings are not ours to
# change here, so the imports are marked instead.
import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.utility import xl_rowcol_to_cell  # type: ignore[import-untyped]
from xlsxwriter.workbook import Workbook  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from roster.accounts.models import PEOPLE_ROLES, Role
from roster.importing.fields import Field, Kind, fields_for

INSTRUCTIONS = "Instructions"
# Rows pre-formatted as text on each role tab. Column formats cover the rest of the sheet;
# explicit cells make the text format visible to every reader, not only to Excel.
TEXT_ROWS = 1000
_WIDTHS = {Kind.NAME: 18, Kind.EMAIL: 32, Kind.USERNAME: 18, Kind.PHONE: 18, Kind.LINKS: 36}
_HEADER = {"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF", "border": 1}
_TEXT = {"num_format": "@"}


def template_bytes() -> bytes:
    """The template workbook as bytes (for a download response)."""
    buffer = io.BytesIO()
    write_template(buffer)
    return buffer.getvalue()


def write_template(stream: BinaryIO) -> None:
    """Write the template workbook to a binary stream."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": "Roster — Add Multiple Users template"})
    _write_instructions(workbook)
    for role in PEOPLE_ROLES:
        _write_role_tab(workbook, role)
    workbook.close()
    stream.write(buffer.getvalue())


def tab_name(role: Role) -> str:
    return str(role.label)


def _write_role_tab(workbook: Workbook, role: Role) -> None:
    sheet = workbook.add_worksheet(tab_name(role))
    header = workbook.add_format(_HEADER | _TEXT)
    text = workbook.add_format(_TEXT)
    fields = fields_for(role)
    for column, field in enumerate(fields):
        sheet.set_column(column, column, _WIDTHS[field.kind], text)
        sheet.write_string(0, column, field.label, header)
        sheet.write_comment(0, column, _rule(field, role), {"x_scale": 2, "y_scale": 1.5})
        for row in range(1, TEXT_ROWS + 1):
            sheet.write_blank(row, column, None, text)
        _length_check(sheet, column, field)
    sheet.freeze_panes(1, 0)
    last = xl_rowcol_to_cell(TEXT_ROWS, len(fields) - 1)
    # Phones and ids typed as text are what we want: no green "number stored as text" marks.
    sheet.ignore_errors({"number_stored_as_text": f"A2:{last}"})


def _length_check(sheet: Worksheet, column: int, field: Field) -> None:
    # A links cell holds several emails, so its limit is per email, not per cell.
    if field.kind is Kind.LINKS:
        return
    sheet.data_validation(
        1,
        column,
        TEXT_ROWS,
        column,
        {
            "validate": "length",
            "criteria": "<=",
            "value": field.max_length,
            "error_title": field.label,
            "error_message": f"At most {field.max_length} characters.",
        },
    )


def _rule(field: Field, role: Role) -> str:
    # The catalogue's help already says "Required" where it applies; say it only if not.
    required = "Required. " if role in field.required_for and "Required" not in field.help else ""
    # A links cell holds several values, so its limit is per value, and not the point.
    limit = "" if field.kind is Kind.LINKS else f" At most {field.max_length} characters."
    return f"{field.label}: {required}{field.help}{limit}"


def _write_instructions(workbook: Workbook) -> None:
    sheet = workbook.add_worksheet(INSTRUCTIONS)
    title = workbook.add_format({"bold": True, "font_size": 14})
    heading = workbook.add_format({"bold": True, "font_size": 12})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    sheet.set_column(0, 0, 110, wrap)
    lines: list[tuple[str, object]] = [("Add Multiple Users", title), ("", None)]
    lines += [(line, wrap) for line in _GENERAL]
    for role in PEOPLE_ROLES:
        lines += [("", None), (f"The {tab_name(role)} tab", heading)]
        lines += [(f"• {_rule(field, role)}", wrap) for field in fields_for(role)]
    for row, (text, style) in enumerate(lines):
        if text:
            sheet.write_string(row, 0, text, style)


_GENERAL = (
    "1. Fill in one row per person on the tab of their role: Student, Instructor or Parent."
    " Leave a tab empty if you have nobody to add with that role.",
    "2. Keep the header row (row 1) and the tab names as they are: they tell Roster which"
    " column holds what and which role each person has.",
    "3. Cells are formatted as text so that phone numbers keep their leading zeros and long"
    " numbers keep all their digits. Type values as you want them stored.",
    "4. Where a column takes several emails, separate them with a semicolon (;) or put each"
    " on its own line in the cell.",
    "5. A person who is already in your organization (same email, or same username for a"
    " student) is updated, never added twice. Importing the same file twice changes nothing.",
    "6. Links to parents, instructors and students must name people who are already in your"
    " organization or who are added by this same file.",
    "7. Hidden tabs are not imported. This Instructions tab is for reading only.",
    "8. After uploading you can review every row, fix flagged cells and choose whether new"
    " users get an activation email before anything is saved.",
)
