import io

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.workbook.workbook import Workbook  # type: ignore[import-untyped]
from python_calamine import CalamineWorkbook

from roster.accounts.models import Role
from roster.importing.fields import fields_for
from roster.importing.headers import map_headers
from roster.importing.template import TEXT_ROWS, template_bytes, write_template

ROLE_TABS = {"Student": Role.STUDENT, "Instructor": Role.INSTRUCTOR, "Parent": Role.PARENT}
PRODUCT_HEADERS = {
    "Student": [
        "First Name",
        "Last Name",
        "Email",
        "Username",
        "Phone",
        "Parent Email",
        "Instructor Email",
    ],
    "Instructor": ["First Name", "Last Name", "Email", "Phone", "Student"],
    "Parent": ["First Name", "Last Name", "Email", "Phone", "Student"],
}


@pytest.fixture(scope="module")
def workbook() -> Workbook:
    return load_workbook(io.BytesIO(template_bytes()))


def header_of(workbook: Workbook, tab: str) -> list[str]:
    return [str(cell.value) for cell in workbook[tab][1]]


def test_instructions_come_first_then_one_tab_per_role(workbook: Workbook) -> None:
    assert workbook.sheetnames == ["Instructions", "Student", "Instructor", "Parent"]
    assert all(sheet.sheet_state == "visible" for sheet in workbook.worksheets)


@pytest.mark.parametrize("tab", PRODUCT_HEADERS)
def test_headers_are_product_md_and_come_from_the_catalogue(workbook: Workbook, tab: str) -> None:
    assert header_of(workbook, tab) == PRODUCT_HEADERS[tab]
    assert header_of(workbook, tab) == [field.label for field in fields_for(ROLE_TABS[tab])]


@pytest.mark.parametrize("tab", PRODUCT_HEADERS)
def test_a_filled_in_template_maps_column_for_column(workbook: Workbook, tab: str) -> None:
    role = ROLE_TABS[tab]
    mapped = map_headers(header_of(workbook, tab), role)
    assert list(mapped.fields) == [field.name for field in fields_for(role)]
    assert mapped.unknown_columns == []


@pytest.mark.parametrize("tab", PRODUCT_HEADERS)
def test_header_row_is_frozen_and_cells_are_text(workbook: Workbook, tab: str) -> None:
    sheet = workbook[tab]
    assert sheet.freeze_panes == "A2"
    last_column = len(PRODUCT_HEADERS[tab])
    for row in (2, 3, TEXT_ROWS // 2, TEXT_ROWS + 1):
        for column in range(1, last_column + 1):
            assert sheet.cell(row=row, column=column).number_format == "@"
    assert all(sheet.column_dimensions[letter].width > 10 for letter in "ABCDE")


@pytest.mark.parametrize("tab", PRODUCT_HEADERS)
def test_each_header_has_a_note_with_the_catalogue_rule(workbook: Workbook, tab: str) -> None:
    sheet = workbook[tab]
    for cell, field in zip(sheet[1], fields_for(ROLE_TABS[tab]), strict=True):
        assert cell.comment is not None
        assert field.help in cell.comment.text


def test_length_limits_are_checked_and_no_column_is_a_dropdown(workbook: Workbook) -> None:
    # No field of the catalogue is a choice among fixed values, so there is no list.
    validations = workbook["Student"].data_validations.dataValidation
    assert {v.type for v in validations} == {"textLength"}
    limits = {str(v.sqref): v.formula1 for v in validations}
    assert limits["A2:A1001"] == "100"
    assert limits["C2:C1001"] == "254"


def test_instructions_explain_every_column_and_hidden_tabs(workbook: Workbook) -> None:
    text = "\n".join(str(row[0].value) for row in workbook["Instructions"].iter_rows())
    assert "Hidden tabs are not imported" in text
    for role in ROLE_TABS.values():
        for field in fields_for(role):
            assert field.help in text


def test_calamine_reads_only_the_header_rows() -> None:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(template_bytes()))
    assert workbook.sheet_names == ["Instructions", "Student", "Instructor", "Parent"]
    for tab, header in PRODUCT_HEADERS.items():
        rows = workbook.get_sheet_by_name(tab).to_python(skip_empty_area=True)
        assert rows == [header]


def test_write_template_writes_the_same_workbook_to_a_stream() -> None:
    stream = io.BytesIO()
    write_template(stream)
    assert stream.getvalue()[:2] == b"PK"
    assert load_workbook(stream).sheetnames[0] == "Instructions"
