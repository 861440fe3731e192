"""While a reader loads and uses each page: no request leaves 127.0.0.1, and no
JavaScript error is logged. Both read the same first visit (see first_visit)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.browser.browser_support import PAGE_IDS, PAGES, FirstVisit, GuidePage


@pytest.mark.parametrize("guide_page", PAGES, ids=PAGE_IDS)
def test_no_request_leaves_127_0_0_1(first_visit: Callable[[GuidePage], FirstVisit], guide_page: GuidePage) -> None:
    log = first_visit(guide_page).log
    assert log.requests, "the page made no request at all: is the harness routing them?"
    if log.foreign:
        hosts = sorted({re.sub(r"^(\w+://[^/]+).*", r"\1", url) for url in log.foreign})
        pytest.fail(
            f"{guide_page.url or '/'} asked {len(log.foreign)} request(s) of other hosts {hosts}:\n"
            + "\n".join(log.foreign)
        )


@pytest.mark.parametrize("guide_page", PAGES, ids=PAGE_IDS)
def test_no_javascript_console_errors(first_visit: Callable[[GuidePage], FirstVisit], guide_page: GuidePage) -> None:
    errors = first_visit(guide_page).log.js_errors()
    if errors:
        pytest.fail(f"{guide_page.url or '/'} logged JavaScript errors:\n" + "\n".join(errors))
