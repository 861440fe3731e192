"""`python -m macros check` says exactly what the build says about the planted mistakes of issue 23.

The cases are in tests/bad_inputs/ (test_bad_inputs.py builds them and
compares the build's log with case.yml); here the same folders are checked
without building, and the lines must be the same ones.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import tool_env
from tests.test_bad_inputs import prepare, read_case

SITE_CASES = [
    "bib_percent_commented_entry",
    "bib_quote_inside_quoted_value",
    "page_bad_front_matter",
    "page_cites_entry_in_at_comment",
    "page_cites_keyless_entry",
    "page_front_matter_cite_breaks_yaml",
    "page_front_matter_cite_in_description",
    "page_front_matter_howto_step_colon",
    "page_front_matter_quote_inside_quotes",
    "page_front_matter_unquoted_colon",
]


@pytest.mark.parametrize("name", SITE_CASES)
def test_check_agrees_with_the_build(name: str, tmp_path: Path) -> None:
    case = read_case(name)
    assert case["kind"] == "site"
    folder = tmp_path / name
    prepare(name, case, folder)
    proc = subprocess.run(
        [sys.executable, "-m", "macros", "check", "--all"],
        cwd=folder,
        env=tool_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    errors = [line.removeprefix("ERROR: ") for line in lines if line.startswith("ERROR: ")]
    warnings = [line.removeprefix("WARNING: ") for line in lines if line.startswith("WARNING: ")]
    expect = case["expect"]
    assert sorted(errors) == sorted(expect.get("errors", []))
    assert sorted(warnings) == sorted(expect.get("warnings", []))
    assert proc.returncode == (1 if errors else 0)
