"""axe-core in the real page, with every rule (experimental ones too), light and dark,
desktop and phone: no serious or critical violation. Each case also leaves a full-page
screenshot in test-artifacts/browser/screens/ to look at.

axe.min.js comes from the axe-playwright-python package (it vendors axe-core);
it is injected into the page and run there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from tests.browser.browser_support import PAGES, GuidePage, OpenPage

BLOCKING = ("serious", "critical")
SCHEMES = {"light": "default", "dark": "slate"}
SIZES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
CASES = [(p, scheme, size) for p in PAGES for scheme in SCHEMES for size in SIZES]

# Every rule axe has, enabled: by default axe leaves its experimental rules out.
RUN_ALL_RULES_JS = """
() => axe.run(document, {
  resultTypes: ['violations'],
  rules: Object.fromEntries(axe.getRules().map(rule => [rule.ruleId, {enabled: true}])),
})
"""


def describe(violation: dict[str, Any]) -> str:
    targets = "; ".join(
        " ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
        for node in violation["nodes"]
    )
    return f"{violation['id']} ({violation['impact']}): {violation['help']} [{len(violation['nodes'])}x: {targets}]"


@pytest.mark.parametrize(("guide_page", "scheme", "size"), CASES, ids=[f"{p.slug}-{s}-{z}" for p, s, z in CASES])
def test_axe_finds_no_serious_violation(
    open_page: OpenPage, artifacts: Path, guide_page: GuidePage, scheme: str, size: str
) -> None:
    # The palette follows the reader's system preference on a first visit.
    page, _ = open_page(guide_page.url, color_scheme=scheme, **SIZES[size])
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
    page.wait_for_load_state("networkidle")
    screens = artifacts / "screens"
    screens.mkdir(exist_ok=True)
    page.screenshot(path=screens / f"{guide_page.slug}-{size}-{scheme}.png", full_page=True)
    page.add_script_tag(content=AXE_SCRIPT)
    results = page.evaluate(RUN_ALL_RULES_JS)
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    if blocking:
        pytest.fail(
            f"axe-core {results['testEngine']['version']} (all rules) on {guide_page.url or '/'} ({scheme}, {size}), "
            f"{len(blocking)} serious or critical violation(s):\n" + "\n".join(describe(v) for v in blocking)
        )
