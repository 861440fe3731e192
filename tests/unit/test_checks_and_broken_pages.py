"""make check's Markdown and spelling steps: citation keys are no words; a page with broken front matter is skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import check_spelling, lint_markdown

PAGE = """\
---
description: 'Glutes{{ cite("kangxq2013") }} at work'
---

# Keys

Pandoc [@onozz2011; see @mooreqq1999, p. 3], LaTeX \\citep[p. 2]{delmqq2020} and a bare @barekeyq2020.
The engine's own{{ cite("gammaqq2019") }} and a word misspeled.
"""


def test_citation_keys_are_never_spell_checked() -> None:
    words = {word for _, _, word in check_spelling.words_of(PAGE)}
    assert {"misspeled", "Glutes", "Pandoc", "LaTeX", "bare", "at", "work"} <= words
    assert not {w for w in words if "q" in w or "zz" in w}, "a citation key was read as a word"


BROKEN = "---\ndescription: Muscles: what the exercise trains\n---\n\n# Muscles\nText\n#Heading\n"


@pytest.mark.parametrize("tool", [lint_markdown, check_spelling])
def test_a_page_whose_front_matter_is_dropped_is_not_checked(
    tool: object, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "broken.md").write_text(BROKEN, encoding="utf-8")
    assert tool.main(["docs/broken.md"]) == 0  # type: ignore[attr-defined]
    out = capsys.readouterr().out.splitlines()
    assert (
        out[0]
        == "docs/broken.md: not checked, its front matter is not valid YAML (`python -m macros check` says where)"
    )
    assert not any(line.startswith("docs/broken.md:") for line in out[1:]), "a follow-up of the broken front matter"
