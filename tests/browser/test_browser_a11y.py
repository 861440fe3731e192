"""axe-core in the real page, light and dark: no serious or critical violation.

axe.min.js comes from the axe-playwright-python package (it vendors axe-core);
it is injected into the page and run there.
"""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from tests.browser.browser_support import PAGES, GuidePage, OpenPage

BLOCKING = ("serious", "critical")
SCHEMES = {"light": "default", "dark": "slate"}
CASES = [(p, scheme) for p in PAGES for scheme in SCHEMES]


def describe(violation: dict[str, Any]) -> str:
    targets = "; ".join(
        " ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
        for node in violation["nodes"]
    )
    return f"{violation['id']} ({violation['impact']}): {violation['help']} [{len(violation['nodes'])}x: {targets}]"


@pytest.mark.parametrize(("guide_page", "scheme"), CASES, ids=[f"{p.slug}-{s}" for p, s in CASES])
def test_axe_finds_no_serious_violation(open_page: OpenPage, guide_page: GuidePage, scheme: str) -> None:
    # The palette follows the reader's system preference on a first visit.
    page, _ = open_page(guide_page.url, color_scheme=scheme)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
    page.add_script_tag(content=AXE_SCRIPT)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    if blocking:
        pytest.fail(
            f"axe-core {results['testEngine']['version']} on {guide_page.url or '/'} ({scheme}), "
            f"{len(blocking)} serious or critical violation(s):\n" + "\n".join(describe(v) for v in blocking)
        )
