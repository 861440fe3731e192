"""How closely the engine's CSL references agree with citeproc-js (issue 25).

    python -m bench.csl_compare                      # ieee, apa, american-medical-association on both corpora
    python -m bench.csl_compare --styles nature,apa --output /tmp/agreement.md

For every entry of ``../shared/corpora/vancouver*/references.bib`` and each
style, four renderings of the reference, each entry alone:

- **ours**: the engine (its CSL-JSON from the Vancouver data model, then citeproc-py);
- **js**: citeproc-js on citation-js' reading of the BibTeX (what a Node tool gives);
- **js(ours)**: citeproc-js on the engine's CSL-JSON;
- **py(cjs)**: citeproc-py on citation-js' reading.

ours = js is the agreement. Where they differ, ours = js(ours) means both
processors agree on the engine's data, so the difference is in the data
(ours or citation-js' reading of the .bib: the report shows both);
ours != js(ours) means citeproc-py renders the same data differently from
citeproc-js: citeproc-py's fault. Node packages (npm ``citeproc`` and
citation-js) are installed under ``.cache/csl-compare`` on first use; the
build never needs them.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
NODE_DIR = ROOT / ".cache" / "csl-compare"
NODE_PACKAGES = ("citeproc@2.4.63", "@citation-js/core@0.9.0", "@citation-js/plugin-bibtex@0.9.0")
DEFAULT_STYLES = ("ieee", "apa", "american-medical-association")
SCRIPT = Path(__file__).resolve().parent / "csl" / "citeproc_js.js"

_TAG = re.compile(r"<[^>]+>")
_LEFT_MARGIN = re.compile(r'<div class="csl-left-margin">.*?</div>', re.S)
_LEADING_NUMBER = re.compile(r"^\s*(?:\[\d+\]|\d+\.)\s*")


def ensure_node_packages() -> Path:
    """Install citeproc-js and citation-js under .cache/csl-compare once (npm, pinned versions)."""
    marker = NODE_DIR / "node_modules" / "citeproc" / "package.json"
    if not marker.is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm is not installed: the comparison with citeproc-js needs Node and npm")
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(NODE_DIR), *NODE_PACKAGES],
            check=True,
        )
    return NODE_DIR


def plain(text: str) -> str:
    """The engine's plain text, spaces and Unicode normalised (it is text already: '<' is a character)."""
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text)).strip()


def normalized(markup: str, numeric: bool = False) -> str:
    text = _LEFT_MARGIN.sub("", markup)
    text = html.unescape(_TAG.sub("", text))
    text = unicodedata.normalize("NFC", re.sub(r"\s+", " ", text)).strip()
    return _LEADING_NUMBER.sub("", text) if numeric else text


def run_js(bib_text: str, styles: dict[str, str], ours: list[dict[str, Any]]) -> Any:
    from citeproc import LOCALES_PATH

    node = shutil.which("node") or "node"
    job = {"bib": bib_text, "styles": styles, "locales": LOCALES_PATH, "ours": ours}
    result = subprocess.run(
        [node, str(SCRIPT)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=True,
        cwd=NODE_DIR,
        env={"NODE_PATH": str(NODE_DIR / "node_modules"), "PATH": "/usr/bin:/bin"},
    )
    return json.loads(result.stdout)


def compare(corpus: Path, style_names: list[str]) -> list[dict[str, Any]]:
    """One row per style: counts and the differing entries."""
    from macros.bib.reader import parse
    from macros.csl import CslStyle, find_style
    from macros.csl.csljson import csl_item
    from macros.csl.processor import processor

    text = corpus.read_text(encoding="utf-8")
    bib = parse(text, str(corpus))
    keys = bib.all_keys()
    entries = [bib.get(key) for key in keys]
    ours = [csl_item(entry.key, entry.entry, bib.data) for entry in entries if entry is not None]
    styles: dict[str, CslStyle] = {}
    for name in style_names:
        found = find_style(name)
        if isinstance(found, str):
            raise SystemExit(f"{name}: not a CSL style (the built-in styles are not compared)")
        styles[name] = found
    xml = {name: Path(style.path).read_text(encoding="utf-8") for name, style in styles.items()}
    js = run_js(text, xml, ours)
    cjs_items = {str(item["id"]).lower(): item for item in js["citationjs"]}
    rows: list[dict[str, Any]] = []
    for name, style in styles.items():
        proc = processor(style)
        numeric = style.numeric
        refs = js["refs"][name]
        js_cjs = {k.lower(): normalized(v, numeric) for k, v in refs["citationjs"].items()}
        js_ours = {k.lower(): normalized(v, numeric) for k, v in refs["ours"].items()}
        same = data_only = processor_diff = 0
        differences = []
        for key, item in zip(keys, ours, strict=True):
            low = key.lower()
            mine = plain(proc.reference(item)[1])
            theirs = js_cjs.get(low, "")
            if mine == theirs:
                same += 1
                continue
            mine_js = js_ours.get(low, "")
            py_cjs = plain(proc.reference(cjs_items[low])[1]) if low in cjs_items else ""
            if mine == mine_js:
                data_only += 1
                cause = "data"
            else:
                processor_diff += 1
                cause = "citeproc-py"
            differences.append(
                {"key": key, "cause": cause, "ours": mine, "js": theirs, "js(ours)": mine_js, "py(cjs)": py_cjs}
            )
        rows.append(
            {
                "corpus": corpus.parent.name,
                "style": name,
                "entries": len(keys),
                "same": same,
                "data": data_only,
                "citeproc-py": processor_diff,
                "differences": differences,
            }
        )
    return rows


def _diff_words(a: str, b: str) -> str:
    """The first place two texts part, with a little context."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    left = max(0, start - 25)
    return f"…{a[left : len(a) - end + 15]}… / …{b[left : len(b) - end + 15]}…"


def report(rows: list[dict[str, Any]]) -> str:
    lines = [
        "# CSL references: the engine against citeproc-js",
        "",
        "Written by `python -m bench.csl_compare` (issue 25). Each entry of the corpus is",
        "rendered alone, as plain text, by the engine (its CSL-JSON, citeproc-py 0.11.1) and",
        "by citeproc-js 1.4.63 (npm `citeproc` 2.4.63) on citation-js 0.9's reading of the",
        "BibTeX, with the same style files and locales. A difference is the processors' (citeproc-py)",
        "when citeproc-js gives another text on the engine's own CSL-JSON, else the data's.",
        "",
        "The last column compares the processors alone (citeproc-js given the engine's CSL-JSON).",
        "In the data column the engine's reading is mostly the better one: citation-js keeps LaTeX",
        "it does not know (`\\mboxG-Animal's`, `\\noopsort1973c1981`, `O(n \\log n)`), ignores",
        "biblatex's `journaltitle`, `date`, `location` and `institution`, reads an EndNote",
        '`type = {Journal Article}` as a genre ("[Journal Article]" in APA) and `and others` as an',
        'author, splits "De Santi" as a middle name, and keeps "906–10" as written; the',
        'engine writes supplements the NLM way ("Suppl 2" for `suppl_2`) and adds access dates',
        "found in notes. Check the list below for a case where it is the engine's reading that is wrong.",
        "",
        "| Corpus | Style | Entries | Same as citeproc-js | Differ: data | Differ: citeproc-py "
        "| Same as citeproc-js on the engine's data |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        n, same = int(row["entries"]), int(row["same"])
        alike = n - int(row["citeproc-py"])
        lines.append(
            f"| {row['corpus']} | {row['style']} | {n} | {same} ({100 * same / max(n, 1):.0f} %) "
            f"| {row['data']} | {row['citeproc-py']} | {alike} ({100 * alike / max(n, 1):.0f} %) |"
        )
    for row in rows:
        differences = row["differences"]
        if not differences:
            continue
        lines += ["", f"## {row['corpus']}, {row['style']}", ""]
        for diff in differences:
            if diff["cause"] == "citeproc-py":
                lines.append(f"- `{diff['key']}` (citeproc-py): {_diff_words(diff['ours'], diff['js(ours)'])}")
            else:
                lines.append(f"- `{diff['key']}` (data): {_diff_words(diff['ours'], diff['js'])}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--styles", default=",".join(DEFAULT_STYLES))
    parser.add_argument("--corpora", default="vancouver,vancouver2")
    parser.add_argument("--output", default=str(ROOT / "bench" / "CSL_AGREEMENT.md"))
    parser.add_argument("--json", default="", help="also write the raw rows here")
    args = parser.parse_args(argv)
    ensure_node_packages()
    rows = []
    for corpus in args.corpora.split(","):
        path = CORPORA / corpus / "references.bib"
        if not path.is_file():
            print(f"{path}: no such corpus (the corpora are in ../shared/corpora)", file=sys.stderr)
            return 1
        rows += compare(path, [s.strip() for s in args.styles.split(",") if s.strip()])
    Path(args.output).write_text(report(rows), encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    for row in rows:
        print(
            f"{row['corpus']:>11} {row['style']:<30} {row['same']}/{row['entries']} same as citeproc-js "
            f"(differ: data {row['data']}, citeproc-py {row['citeproc-py']})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
