"""Page weight: what a reader's first visit to each page transfers.

A first visit is a fresh browser context (empty cache) loading the page until the
network is idle: the HTML, the stylesheets, the figures, Material's JavaScript
bundle, and the search worker with its index (Material starts it on every page).
The test server does not compress, so bytes are the files' own sizes; the gzip
figure is what a compressing host (GitHub Pages) would send, for information.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.browser.browser_support import PAGE_IDS, PAGES, SUMMARY_LINES, FirstVisit, GuidePage

# Measured on 2026-11-24 (Material 9.8.2, five pages, first visit, bytes uncompressed):
#   home 351.7 kB / 11 requests, muscles 383.2 kB / 12, exercise 365.0 kB / 12,
#   references 353.4 kB / 11, about 347.3 kB / 11. Two of those requests on every
#   page are Material's calls to api.github.com for the repository widget (blocked
#   here, so 0 bytes counted; the privacy test fails on them).
#   Material's own files are 323.3 kB of it on every page (84-93 %): bundle.js
#   114.1 kB, main.css 137.6 kB, palette.css 11.9 kB, search worker 39.5 kB,
#   search_index.json 18.3 kB, favicon 1.9 kB; its template adds 17-20 kB of
#   chrome (header, nav, inline icons) to each page's HTML. Gzipped, a page costs
#   87-93 kB, of which Material's files are ~79 kB.
# Budget: the largest page (muscles) plus ~25 % headroom.
# 2026-12-06 (issue 26, the guide's own face): + the fonts, at most 57.1 kB in 3-4
#   requests (Fraunces 600 18.1 kB, Atkinson Hyperlegible Next 400 12.1, 700 12.7, and
#   400 italic 14.2 where a page sets italics), tokens.css 4.1 kB and citations.js
#   1.3 kB; links.css and print.css went into guide.css (two requests fewer).
#   Measured: home 416 kB / 14 requests, muscles 442 / 15, exercise 434 / 15,
#   references 430 / 15, about 416 / 14. The bytes fit the old budget; one request
#   of headroom is kept (a second figure on a page).
BUDGET_BYTES = 480_000
BUDGET_REQUESTS = 16

# What Material brings by default, as opposed to the guide's own files.
MATERIAL_PREFIXES = ("/assets/", "/search/")


def site_file(site: Path, url: str) -> Path:
    path = unquote(urlsplit(url).path)
    return site / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))


@pytest.mark.parametrize("guide_page", PAGES, ids=PAGE_IDS)
def test_first_visit_weight_within_budget(
    first_visit: Callable[[GuidePage], FirstVisit], guide_site: Path, artifacts: Path, guide_page: GuidePage
) -> None:
    visit = first_visit(guide_page)
    transfers = visit.load_transfers
    total = sum(t.body_bytes for t in transfers)
    material = sum(t.body_bytes for t in transfers if urlsplit(t.url).path.startswith(MATERIAL_PREFIXES))
    headers = sum(t.header_bytes for t in transfers)
    gzipped = sum(
        len(gzip.compress(site_file(guide_site, t.url).read_bytes(), 6))
        for t in transfers
        if site_file(guide_site, t.url).is_file()
    )
    requests = len(visit.load_requests)

    record = {
        "page": guide_page.url or "/",
        "requests": requests,
        "foreign_requests": len([url for url in visit.load_requests if url in visit.log.foreign]),
        "bytes": total,
        "material_bytes": material,
        "own_bytes": total - material,
        "header_bytes": headers,
        "gzip_bytes": gzipped,
        "files": {urlsplit(t.url).path: t.body_bytes for t in transfers},
    }
    (artifacts / f"weight-{guide_page.slug}.json").write_text(json.dumps(record, indent=2) + "\n")
    SUMMARY_LINES.append(
        f"{record['page']:<14} {requests:>3} requests {total / 1000:>7.1f} kB "
        f"(Material {material / 1000:.1f} kB = {100 * material / max(total, 1):.0f} %, "
        f"own {(total - material) / 1000:.1f} kB; gzip {gzipped / 1000:.1f} kB)"
    )

    assert total <= BUDGET_BYTES and requests <= BUDGET_REQUESTS, (
        f"{record['page']} transfers {total} bytes in {requests} requests on a first visit; "
        f"the budget is {BUDGET_BYTES} bytes and {BUDGET_REQUESTS} requests. Files: {record['files']}"
    )
