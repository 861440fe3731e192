"""Helpers for the browser tests: the guide's pages, a local server, what a page
did (requests, console errors, transfers), and probes run inside the page.

Imported as tests.browser.browser_support, as `python -m pytest` (make test) runs.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

import yaml
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Route, expect

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
ARTIFACTS = ROOT / "test-artifacts" / "browser"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = (
    "Chromium is not installed: make test installs it (tools/system-packages.txt), or run apt-get install chromium"
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOST = "127.0.0.1"

# Lines for the end-of-run summary (the page weight test adds its figures).
SUMMARY_LINES: list[str] = []


# --- The guide's pages, read from mkdocs.yml and docs/ at collection time ---------


class _AnyTagLoader(yaml.SafeLoader):
    """A safe loader that reads MkDocs-only tags (!ENV, !!python/name:...) as None."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_AnyTagLoader.add_multi_constructor("", _ignore_tag)  # only tags SafeLoader does not know


@dataclass(frozen=True)
class GuidePage:
    title: str
    source: str  # path under docs/
    url: str  # path under the site root, "" for the home page

    @property
    def slug(self) -> str:
        """The id used in test names and artifact files."""
        return self.url.strip("/").replace("/", "-") or "home"

    @property
    def markdown(self) -> str:
        return (DOCS / self.source).read_text(encoding="utf-8")

    @property
    def cites(self) -> bool:
        """Whether the page cites, in either syntax: ``{{ cite("key") }}`` or pandoc's ``[@key]``."""
        return re.search(r"\{\{-?\s*cite\(|\[[^\]\n]*@[\w:.#$%&+?<>~/-]", self.markdown) is not None

    @property
    def is_bibliography(self) -> bool:
        return re.search(r"\{\{-?\s*bibliography\(", self.markdown) is not None


def _page_url(source: str) -> str:
    path = source[: -len(".md")]
    if path == "index" or path.endswith("/index"):
        path = path[: -len("index")]
    else:
        path += "/"
    return path


def _flatten(nav: list[object], out: list[GuidePage]) -> None:
    for item in nav:
        if isinstance(item, str):
            out.append(GuidePage(item, item, _page_url(item)))
            continue
        if not isinstance(item, dict):
            continue
        for title, value in item.items():
            if isinstance(value, list):
                _flatten(value, out)
            elif isinstance(value, str) and value.endswith(".md"):
                out.append(GuidePage(title, value, _page_url(value)))


def guide_pages() -> list[GuidePage]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    pages: list[GuidePage] = []
    _flatten(config["nav"], pages)
    return pages


PAGES = guide_pages()
PAGE_IDS = [p.slug for p in PAGES]


def page_by_source(source: str) -> GuidePage:
    return next(p for p in PAGES if p.source == source)


# --- What a page did while a test ran ----------------------------------------------


@dataclass
class Transfer:
    url: str
    status: int
    body_bytes: int
    header_bytes: int


@dataclass
class PageLog:
    """Console errors, uncaught exceptions and every request a page made."""

    requests: list[str] = field(default_factory=list)  # every request, local or not
    foreign: list[str] = field(default_factory=list)  # requests to other hosts (blocked)
    console_errors: list[tuple[str, str]] = field(default_factory=list)  # (text, source URL)
    page_errors: list[str] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)

    def js_errors(self) -> list[str]:
        """Console errors and uncaught exceptions, except the load failures of the
        foreign requests this harness itself blocked (the privacy test reports those)."""
        blocked = set(self.foreign)
        out = []
        for text, url in self.console_errors:
            if url in blocked and text.startswith("Failed to load resource"):
                continue
            out.append(f"console.error: {text}" + (f" ({url})" if url else ""))
        out += [f"uncaught exception: {e}" for e in self.page_errors]
        return out


@dataclass
class FirstVisit:
    log: PageLog  # everything, through the reader's use of the page
    load_requests: list[str]  # what loading the page asked for, until the network was idle
    load_transfers: list[Transfer]


def use_like_a_reader(page: Page) -> None:
    """What a reader does on a first visit: hover a citation, search, switch to dark
    mode; then wait until the network is idle again."""
    citation = page.locator("sup.citation a").first
    if citation.count():
        citation.hover()
    box = page.get_by_role("textbox", name="Search")
    box.click()
    box.press_sequentially("gluteus")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    page.keyboard.press("Escape")
    page.locator("label[for='__palette_1']").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.wait_for_load_state("networkidle")


WaitUntil = Literal["commit", "domcontentloaded", "load", "networkidle"]


class OpenPage(Protocol):
    """The open_page fixture: a fresh browser context and page at `path`."""

    def __call__(
        self, path: str = "", wait_until: WaitUntil = "load", record_transfers: bool = False, **options: Any
    ) -> tuple[Page, PageLog]: ...


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname == LOCAL_HOST


def attach_log(context: BrowserContext, page: Page, record_transfers: bool = False) -> PageLog:
    """Route every request of the context: local ones go through, others are
    recorded and aborted (this machine has no internet, and a reader's browser
    must not need it). With record_transfers, also the size of every response."""
    log = PageLog()

    def route(route: Route) -> None:
        url = route.request.url
        log.requests.append(url)
        if is_local(url):
            route.continue_()
        else:
            log.foreign.append(url)
            route.abort("blockedbyclient")

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            log.console_errors.append((message.text, message.location.get("url", "")))

    def on_finished(request: Request) -> None:
        response = request.response()
        if response is None:
            return
        length = response.headers.get("content-length")
        sizes = request.sizes()
        body = int(length) if length is not None else sizes["responseBodySize"]
        log.transfers.append(Transfer(request.url, response.status, body, sizes["responseHeadersSize"]))

    context.route("**/*", route)
    page.on("console", on_console)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    if record_transfers:
        context.on("requestfinished", on_finished)
    return log


# --- Probes run inside the page ------------------------------------------------------

# Is the element's first line actually visible to the reader: inside the viewport
# and not hidden under Material's sticky header?
IN_SIGHT_JS = """
(el) => {
  const r = el.getClientRects()[0] || el.getBoundingClientRect();
  if (!r || r.width === 0 || r.height === 0) return false;
  const header = document.querySelector('.md-header');
  const top = header ? header.getBoundingClientRect().bottom : 0;
  if (r.top < top - 1 || r.bottom > window.innerHeight + 1) return false;
  const x = Math.min(Math.max(r.left + 2, 0), window.innerWidth - 1);
  const y = Math.min(r.top + r.height / 2, window.innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  return hit !== null && (el.contains(hit) || hit.contains(el));
}
"""

# Elements that stick out past the right edge of a `width` px wide screen (for messages).
OVERFLOWING_JS = """
(width) => {
  const ancestors = el => { const out = []; for (let p = el.parentElement; p; p = p.parentElement) out.push(p); return out; };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) continue;
    if ([el, ...ancestors(el)].some(a => getComputedStyle(a).position === 'fixed')) continue;
    let clipped = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX !== 'visible' && p.getBoundingClientRect().right <= width + 1) { clipped = true; break; }
    }
    if (clipped) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    out.push(`${name} (right edge ${Math.round(r.right)}px)`);
    if (out.length >= 8) break;
  }
  return out;
}
"""

# Contrast of the ink in a PNG (what stands out most) against its most common colour (its background).
INK_CONTRAST_JS = """
async (b64) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], {type: 'image/png'}));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const lin = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const lum = (r, g, b) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  const counts = new Map();
  const lums = [];
  for (let i = 0; i < data.length; i += 4) {
    const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    counts.set(key, (counts.get(key) || 0) + 1);
    lums.push(lum(data[i], data[i + 1], data[i + 2]));
  }
  let bg = 0, best = -1;
  for (const [k, n] of counts) if (n > best) { best = n; bg = k; }
  const bgLum = lum(bg >> 16, (bg >> 8) & 255, bg & 255);
  lums.sort((a, b) => a - b);
  // The ink is what stands out most from the background: the darkest 1% on a light
  // figure, the lightest 1% on a dark one (the figures are inverted in the dark scheme).
  const ink = bgLum > 0.18 ? lums[Math.floor(lums.length * 0.01)] : lums[Math.floor(lums.length * 0.99)];
  const hi = Math.max(bgLum, ink), lo = Math.min(bgLum, ink);
  return {
    background: '#' + bg.toString(16).padStart(6, '0'),
    backgroundShare: best / lums.length,
    contrast: (hi + 0.05) / (lo + 0.05),
  };
}
"""


def normalize(text: str) -> str:
    return " ".join(text.split())


# --- Figures ---------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def smallest_label(svg: Path) -> float:
    """The smallest font size (in viewBox units) of any <text> in the SVG, inherited sizes included."""
    root = ET.parse(svg).getroot()
    sizes: list[float] = []

    def walk(element: ET.Element, inherited: float) -> None:
        size = float(element.get("font-size", inherited))
        if element.tag == f"{SVG}text" and (element.text or "").strip():
            sizes.append(size)
        for child in element:
            walk(child, size)

    walk(root, 16.0)
    assert sizes, f"{svg}: no text"
    return min(sizes)
