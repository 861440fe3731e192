"""Lighthouse and the Nu HTML Checker, run on the built guide.

Both come from npm, pinned, installed on first use into .cache/npm-tools/ (git-ignored):
Lighthouse 12 runs Debian's Chromium with its mobile preset against the site served
gzip-compressed on 127.0.0.1, as GitHub Pages serves it; vnu.jar runs on Java.

    python -m tests.browser.web_tools lighthouse SITE_DIR REPORT.md   (make lighthouse)
"""

from __future__ import annotations

import functools
import gzip
import json
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / ".cache" / "npm-tools"
PINNED = {"lighthouse": "12.2.3", "vnu-jar": "26.9.27"}
LIGHTHOUSE_JS = TOOLS / "node_modules" / "lighthouse" / "cli" / "index.js"
VNU_JAR = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TESTED = ("accessibility", "best-practices", "seo")  # Performance is a timing: reported only
_COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class ToolMissing(RuntimeError):
    pass


def install() -> None:
    """npm install the pinned tools into .cache/npm-tools/, once."""
    if LIGHTHOUSE_JS.exists() and VNU_JAR.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise ToolMissing("npm is not installed (apt-get install npm): Lighthouse and vnu-jar come from npm")
    TOOLS.mkdir(parents=True, exist_ok=True)
    specs = [f"{name}@{version}" for name, version in PINNED.items()]
    done = subprocess.run(
        [npm, "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", "--save-exact", *specs],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not LIGHTHOUSE_JS.exists() or not VNU_JAR.exists():
        raise ToolMissing(f"npm install {' '.join(specs)} failed:\n{done.stderr[-2000:]}")


# --- a gzip-compressing static server ----------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class names it so)
        pass


class _GzipHandler(_QuietHandler):
    """Serves text files gzip-compressed when the client accepts it, as GitHub Pages does."""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's URL
            path = path / "index.html"
        accepts = "gzip" in (self.headers.get("Accept-Encoding") or "")
        if not (accepts and path.is_file() and path.suffix in _COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # as GitHub Pages sends
        self.end_headers()
        self.wfile.write(body)
        return None


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that drops a connection it no longer needs is not an error.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class SiteServer:
    """Serves a folder on 127.0.0.1 at an ephemeral port, in a background thread."""

    handler: type[SimpleHTTPRequestHandler] = _QuietHandler

    def __init__(self, folder: Path) -> None:
        handler = functools.partial(self.handler, directory=str(folder))
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="site-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}/"

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


class GzipServer(SiteServer):
    """The same, gzip-compressed as GitHub Pages serves it (for Lighthouse)."""

    handler = _GzipHandler


# --- Lighthouse --------------------------------------------------------------------


@dataclass
class LighthouseResult:
    url: str
    scores: dict[str, int]  # category id -> 0..100
    failing: dict[str, list[str]]  # category id -> audits below 1 that count
    report: dict[str, Any]


def lighthouse(url: str, out_json: Path) -> LighthouseResult:
    """One Lighthouse run (mobile preset, the default), its scores and failing audits."""
    install()
    out_json.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [
            "node",
            str(LIGHTHOUSE_JS),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out_json}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-path={CHROMIUM}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if done.returncode != 0 or not out_json.exists():
        raise RuntimeError(f"lighthouse {url} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    report = json.loads(out_json.read_text(encoding="utf-8"))
    scores: dict[str, int] = {}
    failing: dict[str, list[str]] = {}
    for cat_id, category in report["categories"].items():
        scores[cat_id] = round((category["score"] or 0) * 100)
        bad = []
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                bad.append(f"{ref['id']} ({audit['score']}): {audit.get('displayValue') or audit['title']}")
        failing[cat_id] = bad
    return LighthouseResult(url, scores, failing, report)


def report_table(rows: list[tuple[str, LighthouseResult]]) -> str:
    """The Markdown table of `make lighthouse`."""
    names = {"performance": "Performance", "accessibility": "Accessibility", "best-practices": "Best Practices"}
    head = ["Page", *(names.get(c, c.upper()) for c in CATEGORIES), "TBT (ms)", "LCP (s)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for title, result in rows:
        audits = result.report["audits"]
        tbt = audits["total-blocking-time"]["numericValue"]
        lcp = audits["largest-contentful-paint"]["numericValue"] / 1000
        cells = [title, *(str(result.scores[c]) for c in CATEGORIES), f"{tbt:.0f}", f"{lcp:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# --- the Nu HTML Checker -----------------------------------------------------------


def vnu(files: list[Path]) -> list[str]:
    """Every error vnu.jar finds in ``files``, as 'path:line: message'."""
    install()
    if shutil.which("java") is None:
        raise ToolMissing("Java is not installed (apt-get install default-jre-headless): vnu.jar needs it")
    done = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    return [
        f"{m.get('url', '').removeprefix('file:')}:{m.get('lastLine', 0)}: {m['message']}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "lighthouse":
        print("usage: python -m tests.browser.web_tools lighthouse SITE_DIR REPORT.md", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from tests.browser.browser_support import PAGES

    site, report = Path(argv[1]), Path(argv[2])
    rows = []
    with GzipServer(site) as server:
        for page in PAGES:
            result = lighthouse(server.url + page.url, report.parent / "lighthouse" / f"{page.slug}.json")
            rows.append((page.title, result))
            print(f"{page.title}: {result.scores}", file=sys.stderr)
    table = report_table(rows)
    report.write_text(
        "# Lighthouse 12, mobile preset, site served gzip-compressed on 127.0.0.1\n\n" + table, encoding="utf-8"
    )
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
