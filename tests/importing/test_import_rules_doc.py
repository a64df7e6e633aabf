from pathlib import Path

from roster.importing.issues import IssueCode

DOC = Path(__file__).resolve().parents[2] / "docs" / "import-rules.md"


def test_every_issue_code_has_a_row_with_an_example_in_the_import_rules() -> None:
    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    documented = {line.split("`")[1]: line for line in rows}
    for code in IssueCode:
        assert code.value in documented, code
        assert documented[code.value].rstrip(" |").split("|")[-1].strip(), code
