"""Every problem the engine reports has a kind, and every kind is documented in macros/README.md."""

from __future__ import annotations

import ast
import re

from macros.check_command import report
from macros.problems import Problems
from tests.conftest import ROOT


def problem_calls() -> list[tuple[str, int, str | None]]:
    """Each ``.error(path, line, message...)``, ``.warning(...)``, ``.info(...)`` in macros/, and each
    note of the page scan (``self.note(offset, message[, severity, kind])``, kind "page.syntax" unless
    given), with its kind (None: none given)."""
    calls = []
    for path in sorted((ROOT / "macros").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr == "note" and len(node.args) >= 2:
                given: ast.expr | None = next((k.value for k in node.keywords if k.arg == "kind"), None)
                if given is None and len(node.args) >= 4:
                    given = node.args[3]
                named = given if given is not None else ast.Constant("page.syntax")
                value = named.value if isinstance(named, ast.Constant) and isinstance(named.value, str) else None
                calls.append((path.relative_to(ROOT).as_posix(), node.lineno, value))
            elif node.func.attr in ("error", "warning", "info") and len(node.args) >= 3:
                kind = next((k.value for k in node.keywords if k.arg == "kind"), None)
                value = kind.value if isinstance(kind, ast.Constant) and isinstance(kind.value, str) else None
                calls.append((path.relative_to(ROOT).as_posix(), node.lineno, value))
    return calls


def test_every_problem_has_a_documented_kind() -> None:
    calls = problem_calls()
    assert len(calls) > 40  # the walk found the engine's problems
    assert [(path, line) for path, line, kind in calls if not kind] == []
    readme = (ROOT / "macros" / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`((?:bib|page|config)\.(?!py`)[a-z0-9-]+)`", readme))
    assert {kind for _, _, kind in calls} == documented


def test_check_groups_warnings_by_kind_not_by_wording() -> None:
    problems = Problems()
    for n in range(12):
        problems.warning(
            "refs.bib", n + 1, f"entry 'k{n}' has no {('year', 'journal')[n % 2]} field", "bib.missing-field"
        )
    lines = report(problems)
    assert lines[-1] == "WARNING: ... and 2 more of this kind (--all lists them all)"
    assert len(lines) == 11
