"""Check the guide's external links: DOIs, PubMed, and every http(s) link on the site.

Usage: python tools/check_external_links.py [--site site/] [--bib references.bib] [--report FILE]

This needs the internet, so it is not part of `make check`: the weekly
workflow (.github/workflows/links.yml) runs it and keeps one issue listing
the broken links. Outside sites are often slow or refuse robots, so only a
clear answer counts as broken (404 or 410, a DOI the DOI system does not know,
a host that does not exist); anything else (403, 429, 5xx, a time-out) is
listed as "could not check" and does not count.

Exit status: 0 nothing broken, 1 some link is broken, 2 the input is unusable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

try:
    from tools.check_links import source_of
    from tools.project import load_settings, relative
except ModuleNotFoundError:  # pragma: no cover - direct script run
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tools.check_links import source_of
    from tools.project import load_settings, relative

USER_AGENT = "tight-butt-blast-link-check/1.0 (+https://github.com/tight-butt-blast/guide)"
DOI_API = "https://doi.org/api/handles/"
#: Fields of references.bib that hold a link, and how to make it a URL.
BIB_FIELDS: dict[str, Callable[[str], str]] = {
    "doi": lambda v: "doi:" + re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", v.strip(), flags=re.I),
    "url": lambda v: v.strip(),
    "pmid": lambda v: f"https://pubmed.ncbi.nlm.nih.gov/{v.strip()}/",
    "pmcid": lambda v: f"https://pmc.ncbi.nlm.nih.gov/articles/{v.strip()}/",
}
BROKEN_STATUS = {404, 410}


@dataclass
class Target:
    url: str  # "https://..." or "doi:10.1000/x"
    places: list[str] = field(default_factory=list)  # "references.bib:40 (kang2013)", "docs/muscles.md"


@dataclass
class Outcome:
    target: Target
    state: str  # "ok", "broken", "unknown"
    detail: str


# -- collecting ------------------------------------------------------------------


def from_bib(bib: Path) -> dict[str, Target]:
    """Every DOI and link in references.bib, with the line it is on."""
    found: dict[str, Target] = {}
    if not bib.is_file():
        return found
    text = bib.read_text(encoding="utf-8", errors="replace")
    key = "?"
    for number, line in enumerate(text.splitlines(), 1):
        entry = re.match(r"\s*@\w+\s*\{\s*([^,\s]+)\s*,", line)
        if entry:
            key = entry.group(1)
            continue
        match = re.match(r"\s*(\w+)\s*=\s*[{\"](.+?)[}\"]\s*,?\s*$", line)
        if not match or match.group(1).lower() not in BIB_FIELDS:
            continue
        url = BIB_FIELDS[match.group(1).lower()](match.group(2))
        found.setdefault(url, Target(url)).places.append(f"{relative(bib)}:{number} ({key})")
    return found


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "img", "link", "script", "source"):
            for name, value in attrs:
                if name in ("href", "src") and value and value.startswith(("http://", "https://")):
                    self.urls.append(value)


def from_site(site: Path, docs_dir: Path, own_url: str) -> dict[str, Target]:
    """Every http(s) link in the built pages, except those into the site itself."""
    found: dict[str, Target] = {}
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        parser = _Anchors()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        source = source_of(rel, docs_dir)
        place = relative(source) if source else relative(page)
        for url in parser.urls:
            if own_url and url.startswith(own_url):
                continue  # the published site itself: the offline link check covers it
            doi = re.match(r"https?://(dx\.)?doi\.org/(10\..+)$", url)
            key = "doi:" + urllib.parse.unquote(doi.group(2)) if doi else url
            target = found.setdefault(key, Target(key))
            if place not in target.places:
                target.places.append(place)
    return found


# -- checking --------------------------------------------------------------------


def _request(url: str, method: str, timeout: float) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # http(s) only: see from_bib, from_site
            return response.status, response.read(4096 if method == "GET" else 0).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def check_url(url: str, timeout: float) -> tuple[str, str]:
    try:
        status, _ = _request(url, "HEAD", timeout)
        if status in (403, 405, 501) or status >= 500:
            status, _ = _request(url, "GET", timeout)  # many servers answer HEAD badly
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, socket.gaierror):
            return "broken", f"the host does not exist ({reason})"
        if isinstance(reason, ConnectionRefusedError):
            return "broken", "the server refused the connection"
        return "unknown", f"no answer ({reason})"
    except (TimeoutError, OSError) as error:
        return "unknown", f"no answer ({error})"
    if status < 400:
        return "ok", str(status)
    if status in BROKEN_STATUS:
        return "broken", f"HTTP {status}"
    return "unknown", f"HTTP {status}"


def check_doi(doi: str, timeout: float, api: str) -> tuple[str, str]:
    """Ask the DOI system itself whether the DOI exists (no publisher site involved)."""
    url = api + urllib.parse.quote(doi, safe="/")
    try:
        status, body = _request(url, "GET", timeout)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        return "unknown", f"the DOI system did not answer ({error})"
    try:
        code = json.loads(body).get("responseCode") if body else None
    except ValueError:
        code = None
    if status == 200 and code == 1:
        return "ok", "registered"
    if status == 404 or code == 100:
        return "broken", "the DOI system does not know this DOI (a typo in the doi field?)"
    return "unknown", f"HTTP {status} from the DOI system"


def check_all(targets: list[Target], timeout: float, workers: int, doi_api: str) -> list[Outcome]:
    def one(target: Target) -> Outcome:
        if target.url.startswith("doi:"):
            state, detail = check_doi(target.url[4:], timeout, doi_api)
        else:
            state, detail = check_url(target.url, timeout)
            if state == "unknown":
                state, detail = check_url(target.url, timeout * 2)  # once more, more patiently
        return Outcome(target, state, detail)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(one, targets))


# -- reporting -------------------------------------------------------------------


def _shown(url: str) -> str:
    return f"https://doi.org/{url[4:]}" if url.startswith("doi:") else url


def report(outcomes: list[Outcome], today: dt.date) -> str:
    broken = [o for o in outcomes if o.state == "broken"]
    unknown = [o for o in outcomes if o.state == "unknown"]
    run = os.environ.get("GITHUB_RUN_ID")
    server, repo = os.environ.get("GITHUB_SERVER_URL", ""), os.environ.get("GITHUB_REPOSITORY", "")
    by = f" ([workflow run]({server}/{repo}/actions/runs/{run}))" if run and repo else ""
    lines = [
        f"The weekly external link check on {today.isoformat()}{by} found "
        f"{len(broken)} broken link{'s' * (len(broken) != 1)} out of {len(outcomes)}.",
        "",
    ]
    if broken:
        lines += ["## Broken", "", "| Link | Where | Problem |", "| --- | --- | --- |"]
        for o in sorted(broken, key=lambda o: o.target.url):
            lines.append(f"| <{_shown(o.target.url)}> | {', '.join(o.target.places)} | {o.detail} |")
        lines.append("")
    if unknown:
        lines += [
            "<details><summary>Could not check "
            f"({len(unknown)}): the site did not give a clear answer; not counted as broken</summary>",
            "",
            "| Link | Where | Answer |",
            "| --- | --- | --- |",
        ]
        for o in sorted(unknown, key=lambda o: o.target.url):
            lines.append(f"| <{_shown(o.target.url)}> | {', '.join(o.target.places)} | {o.detail} |")
        lines += ["", "</details>", ""]
    lines += [
        "Fix each broken link in the file it names: correct the address, link to an archived copy, "
        "or replace the source (in the same pull request as any change to the claim it supports).",
        "This issue is updated every week, and closed once every link works.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site/)")
    parser.add_argument("--bib", type=Path, default=Path("references.bib"))
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("--report", type=Path, help="write a Markdown report here (the issue's text)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for one answer")
    parser.add_argument("--workers", type=int, default=8, help="links checked at once")
    parser.add_argument("--doi-api", default=DOI_API, help=argparse.SUPPRESS)
    parser.add_argument("--list", action="store_true", help="only list the links and where they are; fetch nothing")
    args = parser.parse_args(argv)

    settings = load_settings(args.config_file)
    if not args.bib.is_file() and not args.site.is_dir():
        print(f"nothing to check: neither {args.bib} nor {args.site}/ exists", file=sys.stderr)
        return 2
    targets = from_bib(args.bib)
    if args.site.is_dir():
        for url, target in from_site(args.site, settings.docs_dir, settings.site_url).items():
            merged = targets.setdefault(url, Target(url))
            merged.places += [p for p in target.places if p not in merged.places]
    ordered = sorted(targets.values(), key=lambda t: t.url)
    if args.list:
        for target in ordered:
            print(f"{_shown(target.url)}  <- {', '.join(target.places)}")
        return 0

    outcomes = check_all(ordered, args.timeout, args.workers, args.doi_api)
    for o in outcomes:
        if o.state != "ok":
            print(f"{o.state:<7} {_shown(o.target.url)}: {o.detail} <- {', '.join(o.target.places)}")
    broken = sum(o.state == "broken" for o in outcomes)
    unknown = sum(o.state == "unknown" for o in outcomes)
    print(f"external links: {len(outcomes)} checked, {broken} broken, {unknown} could not be checked")
    if args.report:
        args.report.write_text(report(outcomes, dt.datetime.now(dt.UTC).date()), encoding="utf-8")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
