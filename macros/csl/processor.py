"""citeproc-py behind a small interface: one reference, one citation, one sort key at a time.

The engine numbers sources, builds lists and renders markers itself; what it
asks of a CSL style is text. ``CslProcessor`` gives it, per entry:

- ``reference(item)``: the reference as the style writes it in its list,
  as safe HTML (only ``i``, ``b``, ``sup``, ``sub``, small-caps spans and
  http(s) links) and as plain text; a numeric style's own number
  ("[1]", "1.") is taken out, since the engine's list numbers it;
- ``cite(items)``: an author-date citation, "(Kang et al., 2013, p. 304)",
  with the style's delimiters, locator terms and prefixes/suffixes, and its
  narrative form "Kang et al. (2013, p. 304)";
- ``sort_key(item)``: the style's bibliography sort keys for one entry,
  which ``sort_keys_compare`` orders exactly as citeproc-py would.

The style file is adjusted once when loaded: a numeric style's
``citation-number`` leaves its bibliography, and a style that never prints
``year-suffix`` itself gets it after its issued dates, as CSL 1.0.2 says
(citeproc-py does neither). Everything from the .bib is escaped by
citeproc-py's HTML formatter; the HTML is checked again here (``_safe``).
"""

from __future__ import annotations

import contextlib
import functools
import html
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .lookup import CslStyle

CSL_NS = "http://purl.org/net/xbiblio/csl"
_NS = {"cs": CSL_NS}

_ALLOWED_TAG = re.compile(
    r"</?(?:i|b|sup|sub)>|<span style=\"font-variant:small-caps;\">|</span>|<a href=\"https?://[^\"<>\s]+\">|</a>"
)
_TAG = re.compile(r"<[^>]*>")
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)\]]")
_LOCATOR_LABELS = {
    "p": "page",
    "pp": "page",
    "page": "page",
    "pages": "page",
    "chap": "chapter",
    "chapter": "chapter",
    "ch": "chapter",
    "fig": "figure",
    "figure": "figure",
    "table": "table",
    "tab": "table",
    "sec": "section",
    "section": "section",
    "§": "section",
    "para": "paragraph",
    "paragraph": "paragraph",
    "vol": "volume",
    "volume": "volume",
    "line": "line",
    "l": "line",
    "n": "note",
    "note": "note",
}
_LOCATOR = re.compile(r"^\s*(§|[A-Za-z]+)\.?\s+(\S.*)$")


def split_locator(loc: str) -> tuple[str, str]:
    """'554–560' -> ('page', '554–560'); 'chap. 3' -> ('chapter', '3'); 'fig 2' -> ('figure', '2')."""
    match = _LOCATOR.match(loc)
    if match and match.group(1).lower() in _LOCATOR_LABELS:
        return _LOCATOR_LABELS[match.group(1).lower()], match.group(2).strip()
    return "page", loc.strip()


@dataclass(frozen=True)
class Cite:
    """One source in a citation: its CSL-JSON item and what the page added."""

    item: dict[str, Any]
    locator: str = ""
    prefix: str = ""
    suffix: str = ""


def _safe(markup: str) -> str:
    """citeproc-py's HTML with anything but its own formatting tags escaped, and bare URLs linked."""
    out: list[str] = []
    position = 0
    for tag in _TAG.finditer(markup):
        out.append(_link(markup[position : tag.start()]))
        written = tag.group(0)
        out.append(written if _ALLOWED_TAG.fullmatch(written) else html.escape(written, quote=False))
        position = tag.end()
    out.append(_link(markup[position:]))
    return "".join(out)


def _link(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        url = html.unescape(match.group(0))
        return f'<a href="{html.escape(url, quote=True)}">{match.group(0)}</a>'

    return _URL.sub(one, text)


def plain_text(markup: str) -> str:
    return html.unescape(_TAG.sub("", markup))


def _prepared_style(style: CslStyle) -> tuple[bytes, dict[str, str]]:
    """The style's XML with the two adjustments of the module docstring, and its citation layout's affixes."""
    from lxml import etree

    tree = etree.parse(style.path, etree.XMLParser(remove_comments=True, no_network=True, resolve_entities=False))
    root = tree.getroot()
    for entity in list(root.iter(etree.Entity)):  # a .csl's own entities are not expanded (nor passed on)
        entity.getparent().remove(entity)
    if style.numeric:
        for bibliography in root.iterfind("cs:bibliography", _NS):
            for number in list(bibliography.iterfind(".//cs:text[@variable='citation-number']", _NS)):
                number.getparent().remove(number)
    if root.find(".//cs:text[@variable='year-suffix']", _NS) is None:
        for date in list(root.iterfind(".//cs:date[@variable='issued']", _NS)):
            suffix = etree.Element(f"{{{CSL_NS}}}text", variable="year-suffix")
            date.addnext(suffix)
    layout = root.find("cs:citation/cs:layout", _NS)
    affixes: dict[str, str] = {}
    if layout is not None and not style.numeric:
        for name in ("prefix", "suffix", "delimiter"):
            affixes[name] = layout.get(name, "")
        for name in ("prefix", "suffix"):
            if name in layout.attrib:
                del layout.attrib[name]
    return etree.tostring(root, encoding="utf-8"), affixes  # the element: no DOCTYPE, no entity definitions


def _punctuation_in_quote(style_xml: bytes, locale: str) -> bool:
    """The locale's punctuation-in-quote option, the style's own <locale> first."""
    own = re.search(rb"<style-options[^>]*punctuation-in-quote=\"(true|false)\"", style_xml)
    if own:
        return own.group(1) == b"true"
    from citeproc import LOCALES_PATH

    for name in (locale, "en-US"):
        try:
            with open(os.path.join(LOCALES_PATH, f"locales-{name}.xml"), "rb") as handle:
                found = re.search(rb"punctuation-in-quote=\"(true|false)\"", handle.read())
        except OSError:
            continue
        return bool(found and found.group(1) == b"true")
    return False


def _locales() -> set[str]:
    from citeproc import LOCALES_PATH

    return {name[len("locales-") : -len(".xml")] for name in os.listdir(LOCALES_PATH) if name.startswith("locales-")}


class CslProcessor:
    """One CSL style, loaded once; see the module docstring."""

    def __init__(self, style: CslStyle) -> None:
        from citeproc import CitationStylesStyle

        self.style = style
        xml, affixes = _prepared_style(style)
        locale = style.locale if style.locale and style.locale in _locales() else None
        self.csl = CitationStylesStyle(io.BytesIO(xml), locale=locale, validate=False)
        self.open = affixes.get("prefix", "")
        self.close = affixes.get("suffix", "")
        self.delimiter = affixes.get("delimiter") or "; "
        citation = self.csl.root.citation
        self.year_suffix = bool(citation is not None and citation.get_option("disambiguate-add-year-suffix") == "true")
        self.no_date = [t for t in (self._term("no date", "short"), self._term("no date")) if t]
        self.quote_close = self._term("close-quote") or "\u201d"
        self.punctuation_in_quote = _punctuation_in_quote(xml, locale or self.csl.root.get("default-locale", "en-US"))

    def _term(self, name: str, form: str | None = None) -> str:
        try:
            term = self.csl.root.get_term(name, form)
        except Exception:  # noqa: BLE001 - a locale without the term
            return ""
        if term is None:
            return ""
        single = term.find("cs:single", _NS)
        return str((single if single is not None else term).text or "")

    def _bibliography(self, items: Sequence[dict[str, Any]]) -> Any:
        from citeproc import CitationStylesBibliography, formatter
        from citeproc.source.json import CiteProcJSON

        return CitationStylesBibliography(self.csl, CiteProcJSON(list(items)), formatter.html)

    def reference(self, item: dict[str, Any]) -> tuple[str, str]:
        """(safe HTML, plain text) of the entry as the style lists it."""
        from citeproc import Citation, CitationItem

        if self.csl.root.bibliography is None:
            markup = self.cite([Cite(item)])[0]
        else:
            bibliography = self._bibliography([item])
            bibliography.register(Citation([CitationItem(item["id"])]))
            rendered = bibliography.bibliography()
            markup = str(rendered[0]) if rendered else ""
        safe = _safe(self._punctuate(re.sub(r"\s+", " ", markup).strip()))
        return safe, plain_text(safe)

    def _punctuate(self, markup: str) -> str:
        """'“Title”,' -> '“Title,”' where the locale puts punctuation inside quotes (en-US; citeproc-py does not)."""
        if not self.punctuation_in_quote:
            return markup
        close = re.escape(self.quote_close)
        return re.sub(rf"({close})((?:</[a-z]+>)*)([.,])", r"\3\1\2", markup)

    def sort_key(self, item: dict[str, Any]) -> list[str | None]:
        """The style's bibliography sort keys for the entry (JSON-ready)."""
        from citeproc import Citation, CitationItem

        bibliography_element = self.csl.root.bibliography
        sort = bibliography_element.find("cs:sort", _NS) if bibliography_element is not None else None
        if sort is None:
            return []
        bibliography = self._bibliography([item])
        cite = CitationItem(item["id"])
        bibliography.register(Citation([cite]))
        layout = bibliography_element.layout
        out: list[str | None] = []
        for key in sort.findall("cs:key", _NS):
            try:
                value = key.sort_keys([cite], layout)[0]
            except Exception:  # noqa: BLE001 - a key citeproc-py cannot compute sorts last
                value = None
            out.append(None if value is None else str(value))
        return out

    def sort_descending(self) -> list[bool]:
        element = self.csl.root.bibliography
        sort = element.find("cs:sort", _NS) if element is not None else None
        if sort is None:
            return []
        return [key.get("sort", "ascending").lower() == "descending" for key in sort.findall("cs:key", _NS)]

    def cite_one(self, cite: Cite) -> str:
        """Safe HTML of one source's part of a parenthetical citation: 'Kang et al., 2013, p. 304'."""
        return self._cite_one(cite)

    def cite(self, cites: Sequence[Cite]) -> tuple[str, str]:
        """(safe HTML, plain text) of a parenthetical citation: '(Kang et al., 2013, p. 304; ...)'."""
        parts = [self._cite_one(cite) for cite in cites]
        joined = self.delimiter.join(part for part in parts if part)
        markup = f"{html.escape(self.open)}{joined}{html.escape(self.close)}"
        return markup, plain_text(markup)

    def narrative(self, cite: Cite) -> tuple[str, str]:
        """(safe HTML, plain text) of an in-text citation: 'Kang et al. (2013, p. 304)'."""
        inner = self._cite_one(Cite(cite.item, cite.locator))
        text = plain_text(inner)
        anchor = _year_text(cite.item)
        at = text.find(anchor) if anchor else -1
        for term in self.no_date if at < 0 else ():
            at = text.find(term)
            if at >= 0:
                break
        if at <= 0:
            markup = f"{html.escape(cite.prefix)}{inner}{html.escape(cite.suffix)}"
            return markup, plain_text(markup)
        author = text[:at].rstrip(" ,")
        rest = text[at:]
        shown = f"{cite.prefix}{author} ({rest}){cite.suffix}"
        return html.escape(shown, quote=False), shown

    def _cite_one(self, cite: Cite) -> str:
        from citeproc import Citation, CitationItem, Locator

        bibliography = self._bibliography([cite.item])
        options: dict[str, Any] = {}
        if cite.locator:
            options["locator"] = Locator(*split_locator(cite.locator))
        if cite.prefix:
            options["prefix"] = html.escape(cite.prefix, quote=False)
        if cite.suffix:
            options["suffix"] = html.escape(cite.suffix, quote=False)
        citation = Citation([CitationItem(cite.item["id"], **options)])
        bibliography.register(citation)
        rendered = bibliography.cite(citation, lambda item: None)
        markup = "".join(str(part) for part in rendered) if isinstance(rendered, list) else str(rendered)
        return _safe(self._punctuate(re.sub(r"\s+", " ", markup).strip()))


def _year_text(item: dict[str, Any]) -> str:
    issued = item.get("issued") or {}
    parts = issued.get("date-parts") or [[]]
    year = str(parts[0][0]) if parts and parts[0] else str(issued.get("literal", ""))
    return year + str(item.get("year-suffix", "")) if year else ""


def sort_keys_compare(left: Sequence[str | None], right: Sequence[str | None], descending: Sequence[bool]) -> int:
    """Compare two entries' sort keys as citeproc-py does (missing keys last, numbers as numbers)."""
    for index, desc in enumerate(descending):
        a = left[index] if index < len(left) else None
        b = right[index] if index < len(right) else None
        if a is not None and b is not None:
            x: Any = a.lower()
            y: Any = b.lower()
            with contextlib.suppress(ValueError):
                x, y = int(x), int(y)
            result: int = (x > y) - (x < y)
            if result:
                return -result if desc else result
        elif a is not None:
            return -1
        elif b is not None:
            return 1
    return 0


@functools.lru_cache(maxsize=8)
def processor(style: CslStyle, digest: str = "") -> CslProcessor:
    """The loaded style, once per process and version of its file (``digest``: mkdocs serve reloads an edited .csl)."""
    return CslProcessor(style)
