"""Extract python-email-validator's syntax cases into syntax-cases.json (run once, by hand).

    python tests/data/email-validator/extract.py path/to/tests/test_syntax.py <commit>

Reads the test module's source with `ast` (nothing of it runs) and writes, per address:
what the library's suite says (`valid` or `invalid`), the normalised form when the suite
gives one, and `needs`: the options the library must be given for it to be valid
(allow_quoted_local, allow_display_name, allow_smtputf8, allow_domain_literal,
allow_empty_local, test_environment). Roster gives none of them.
"""

import ast
import json
import sys
from pathlib import Path
from typing import Any

Case = dict[str, Any]
OUT = Path(__file__).with_name("syntax-cases.json")


def main(source: str, commit: str) -> None:
    tree = ast.parse(Path(source).read_text(encoding="utf-8"))
    cases: list[Case] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            cases.extend(_cases(node))
    header = {"source": "JoshData/python-email-validator tests/test_syntax.py", "commit": commit}
    OUT.write_text(
        json.dumps({**header, "cases": cases}, indent=1, ensure_ascii=True) + "\n", "utf-8"
    )
    print(f"{len(cases)} cases written to {OUT}")


def _cases(function: ast.FunctionDef) -> list[Case]:
    rows = _parametrized(function)
    name = function.name
    if name == "test_email_valid":
        return [_valid(name, address, output) for address, output in rows]
    if name == "test_email_valid_intl_local_part":
        return [_valid(name, address, output, "allow_smtputf8") for address, output in rows]
    if name == "test_email_valid_only_if_quoted_local_part":
        return [
            _case(name, address, "valid", f"{local}@example.com", ["allow_quoted_local"])
            for address, local in rows
        ]
    if name == "test_email_invalid_syntax_strict":  # valid unless strict, as Roster checks
        return [_case(name, address, "valid", None, []) for address, _ in rows]
    if name in ("test_email_invalid_syntax", "test_email_invalid_character_smtputf8_off"):
        return [_case(name, address, "invalid") for address, _ in rows]
    if name == "test_email_invalid_reserved_domain":
        return [_case(name, address, "invalid") for (address,) in rows]
    if name == "test_email_unsafe_character":
        return [
            _case(name, address, "invalid")
            for s, _ in rows
            for address in (s + "@test", "test@" + s)
        ]
    if name == "test_pyisemail_tests":
        return [_pyisemail(name, address, status) for address, status in rows]
    return _called(function)  # the tests that call validate_email on literal addresses


def _parametrized(function: ast.FunctionDef) -> list[tuple[Any, ...]]:
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call) and ast.unparse(decorator.func).endswith("parametrize"):
            values = decorator.args[1]
            assert isinstance(values, ast.List)
            return [_row(element) for element in values.elts]
    return []


def _row(element: ast.expr) -> tuple[Any, ...]:
    items = element.elts if isinstance(element, ast.Tuple | ast.List) else [element]
    return tuple(_value(item) for item in items)


def _value(node: ast.expr) -> Any:
    if isinstance(node, ast.Call):  # MakeValidatedEmail(field=..., ...)
        return {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords}
    return ast.literal_eval(node)


def _valid(name: str, address: str, output: dict[str, Any], *needs: str) -> Case:
    options = list(needs)
    if output.get("display_name"):
        options.append("allow_display_name")
    if output.get("original", address).startswith('"'):
        options.append("allow_quoted_local")
    return _case(name, address, "valid", output["normalized"], options)


def _pyisemail(name: str, address: str, status: str) -> Case:
    test_domain = address.rpartition("@")[2].endswith("test")
    if status in ("ISEMAIL_VALID", "ISEMAIL_RFC5322_LOCAL_TOOLONG"):
        # Too long before the @ is only refused when strict; a quoted one needs its option.
        quoted = ["allow_quoted_local"] * address.startswith('"')
        return _case(
            name, address, "valid", None, ["test_environment"] * test_domain + quoted, status
        )
    if status == "ISEMAIL_RFC5321_QUOTEDSTRING":
        return _case(name, address, "valid", None, ["allow_quoted_local"], status)
    if "_ADDRESSLITERAL" in status or status == "ISEMAIL_RFC5321_IPV6DEPRECATED":
        return _case(name, address, "valid", None, ["allow_domain_literal"], status)
    return _case(name, address, "invalid", None, [], status)


def _called(function: ast.FunctionDef) -> list[Case]:
    cases = []
    for node in ast.walk(function):
        if not (isinstance(node, ast.Call) and ast.unparse(node.func) == "validate_email"):
            continue
        first = node.args[0] if node.args else None
        if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
            continue
        options = sorted(
            kw.arg
            for kw in node.keywords
            if kw.arg and kw.arg.startswith(("allow_", "test_")) and ast.literal_eval(kw.value)
        )
        cases.append(_case(function.name, first.value, "valid", None, options))
    return cases


def _case(
    test: str,
    address: str,
    library: str,
    normalized: str | None = None,
    needs: list[str] | None = None,
    status: str = "",
) -> Case:
    needs = list(needs or [])
    mailbox = address.rpartition("<")[2]  # after a display name, if any
    if (
        library == "valid"
        and not mailbox.rpartition("@")[0].isascii()
        and "allow_smtputf8" not in needs
    ):
        needs.append("allow_smtputf8")  # the suite's call leaves the library's default on
    case: Case = {"test": test, "address": address, "library": library}
    if normalized is not None:
        case["normalized"] = normalized
    if needs:
        case["needs"] = needs
    if status:
        case["status"] = status
    return case


if __name__ == "__main__":
    main(*sys.argv[1:3])
