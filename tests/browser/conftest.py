"""Browser tests: the built guide served on 127.0.0.1, read by Debian's Chromium.

Fixtures:
  site_url   the guide (built once with --strict by tests/conftest.py) served by a
             threaded http.server on 127.0.0.1 and an ephemeral port, for the session
  browser    one headless Chromium for the session, driven by Playwright
  open_page  a fresh context and page per call; every request to a host other than
             127.0.0.1 is recorded and blocked, console errors are recorded
  first_visit  one first visit per page, shared by the privacy, console and weight tests
  artifacts  test-artifacts/browser/ (screenshots, PDFs, page weights); the path is
             printed at the end of the run
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.browser_support import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_MISSING,
    SUMMARY_LINES,
    FirstVisit,
    GuidePage,
    OpenPage,
    PageLog,
    WaitUntil,
    attach_log,
    use_like_a_reader,
)
from tests.browser.web_tools import SiteServer

_used_artifacts = False


def chromium_path() -> Path | None:
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium")
    return Path(found) if found else None


@pytest.fixture(scope="session")
def site_url(guide_site: Path) -> Iterator[str]:
    with SiteServer(guide_site) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        pytest.fail(CHROMIUM_MISSING, pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    global _used_artifacts
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # only this run's files, nothing stale
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _used_artifacts = True
    return ARTIFACTS


def _open(
    browser: Browser,
    site_url: str,
    path: str,
    wait_until: WaitUntil = "load",
    record_transfers: bool = False,
    **options: Any,
) -> tuple[BrowserContext, Page, PageLog]:
    options.setdefault("viewport", {"width": 1280, "height": 800})
    options.setdefault("color_scheme", "light")
    options.setdefault("locale", "en-US")
    context = browser.new_context(base_url=site_url, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log = attach_log(context, page, record_transfers)
    page.goto(site_url + path, wait_until=wait_until)
    return context, page, log


@pytest.fixture
def open_page(browser: Browser, site_url: str) -> Iterator[OpenPage]:
    """open_page(path, wait_until="load", record_transfers=False, **context options) -> (page, log).

    Each call gets its own browser context: no cache, cookies or storage carried
    over, as on a reader's first visit. Light colour scheme and a desktop
    viewport unless the caller asks otherwise."""
    contexts: list[BrowserContext] = []

    def open_(
        path: str = "", wait_until: WaitUntil = "load", record_transfers: bool = False, **options: Any
    ) -> tuple[Page, PageLog]:
        context, page, log = _open(browser, site_url, path, wait_until, record_transfers, **options)
        contexts.append(context)
        return page, log

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def first_visit(browser: Browser, site_url: str) -> Iterator[Callable[[GuidePage], FirstVisit]]:
    """first_visit(page) -> FirstVisit: one reader's first visit to a page (load until
    the network is idle, then use it), made once per session and shared by the
    privacy, console and page weight tests."""
    visits: dict[str, FirstVisit] = {}

    def visit(guide_page: GuidePage) -> FirstVisit:
        if guide_page.url not in visits:
            context, page, log = _open(browser, site_url, guide_page.url, "networkidle", record_transfers=True)
            try:
                loaded = FirstVisit(log, list(log.requests), list(log.transfers))
                use_like_a_reader(page)
            finally:
                context.close()
            visits[guide_page.url] = loaded
        return visits[guide_page.url]

    yield visit


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SUMMARY_LINES:
        terminalreporter.section("page weight, first visit")
        for line in SUMMARY_LINES:
            terminalreporter.write_line(line)
    if _used_artifacts:
        terminalreporter.write_line(f"browser test artifacts (screenshots, PDFs, page weights): {ARTIFACTS}")
