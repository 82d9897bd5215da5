"""No module in src/spconnector over MAX_LINES lines: a module that long does more than one job.

Today's oversize modules are listed with their size at the time; a listed module may shrink
but never grow, and one back under the limit must leave the list (so the list only shrinks).
A module that is pure data — nothing but a docstring and literal assignments, such as the
understanding corpus templates — is exempt by that rule, not by name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "spconnector"
MAX_LINES = 400

# path (under src/spconnector) → its line count when it was listed, with the issue whose split
# it waits for. None today: issue 14 split the last four.
OVERSIZE: dict[str, int] = {}


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def is_pure_data(path: Path) -> bool:
    """Only a docstring and assignments of literals (strings, numbers, lists, dicts...)."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            try:
                ast.literal_eval(node.value)
            except ValueError:
                return False
            continue
        return False
    return True


def modules() -> dict[str, Path]:
    return {p.relative_to(SRC).as_posix(): p for p in sorted(SRC.rglob("*.py"))}


def test_no_module_is_over_the_limit() -> None:
    too_long = {
        name: count
        for name, path in modules().items()
        if (count := line_count(path)) > MAX_LINES
        and name not in OVERSIZE
        and not is_pure_data(path)
    }
    assert not too_long, f"modules over {MAX_LINES} lines (split them): {too_long}"


@pytest.mark.parametrize("name", sorted(OVERSIZE))
def test_a_listed_module_does_not_grow_and_leaves_the_list_once_short(name: str) -> None:
    path = modules().get(name)
    assert path is not None, f"{name} is gone: drop it from OVERSIZE"
    count = line_count(path)
    assert count <= OVERSIZE[name], f"{name} grew from {OVERSIZE[name]} to {count} lines"
    assert count > MAX_LINES, f"{name} is {count} lines now: drop it from OVERSIZE"


def test_the_pure_data_rule_tells_data_from_code(tmp_path: Path) -> None:
    data = tmp_path / "data.py"
    data.write_text('"""Templates."""\nWORDS = ["a", "b"]\nTABLE = {"x": (1, 2.5)}\n')
    code = tmp_path / "code.py"
    code.write_text('"""Templates."""\nWORDS = ["a"]\n\ndef extend():\n    WORDS.append("b")\n')
    computed = tmp_path / "computed.py"
    computed.write_text("WORDS = sorted(['b', 'a'])\n")
    assert is_pure_data(data)
    assert not is_pure_data(code)
    assert not is_pure_data(computed)
