"""The Nu HTML Checker (vnu.jar, from npm, run on Java) on every page of the built
guide: no error. Installed on first use into .cache/npm-tools/ (web_tools.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.web_tools import ToolMissing, vnu


def test_every_built_page_is_valid_html(guide_site: Path) -> None:
    pages = sorted(guide_site.rglob("*.html"))
    assert len(pages) >= 5
    try:
        errors = vnu(pages)
    except ToolMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    site = str(guide_site) + "/"
    assert not errors, f"{len(errors)} HTML error(s):\n" + "\n".join(e.replace(site, "") for e in errors[:40])
