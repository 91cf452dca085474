"""The shape of the code: no function over ~60 lines without a reason written next to it
(a `# long: …` comment on the line above its `def` or decorators)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 60


def test_long_functions_say_why() -> None:
    unexplained = []
    for path in sorted((ROOT / "clubtool").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            above = lines[first - 2].strip() if first >= 2 else ""
            if length > LIMIT and not above.startswith("# long:"):
                unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} "
                                   f"({length} lines)")
    assert not unexplained, "\n".join(unexplained)
