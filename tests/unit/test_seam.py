"""The engine core never imports MkDocs: only the plugin and its options face it.

Everything else in macros/ (reading the .bib, scanning and rendering pages,
formatting, HTML) runs without MkDocs, as ProperDocs and the tests run it.
"""

from __future__ import annotations

import ast

from tests.conftest import ROOT

MKDOCS_FACING = {"macros/plugin.py", "macros/config.py"}


def imported_modules(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_only_the_plugin_and_its_config_import_mkdocs() -> None:
    importing = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "macros").rglob("*.py")
        if any(name == "mkdocs" or name.startswith("mkdocs.") for name in imported_modules(path.read_text()))
    }
    assert importing == MKDOCS_FACING


def test_the_check_sees_an_import_inside_a_function() -> None:
    assert imported_modules("def f():\n    from mkdocs.config import load_config\n") == {"mkdocs.config"}
    assert imported_modules("from .config import x\nimport mkdocs\n") == {"mkdocs"}
