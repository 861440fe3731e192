"""Format bibliography entries once each, as safe HTML and as plain text.

The styles, pybtex and latexcodec are imported on the first entry the cache
does not hold: a warm build never imports them (importing them was 11 % of
a warm build's excess over the limit, bench/RESULTS.md).
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..bib.latex_to_text import convert as convert_latex
from ..bib.reader import VERBATIM_FIELDS, BibEntry, Bibliography, _field_line_offset
from ..bib.values import misspelt_required
from ..cache import BibCache, safe_reference_html
from ..problems import Problems

if TYPE_CHECKING:
    from pybtex.richtext import Text
    from pybtex.style.formatting import BaseStyle

    from ..styles.nlm import NlmFormatter

_CROSSREF = re.compile(r"crossref\s*=\s*[{\"]\s*([^}\"\s]+)", re.IGNORECASE)
# What LaTeX decoding leaves behind when it does not know a command: "\mbox",
# or the line break "\\".
_LEFTOVER_COMMAND = re.compile(r"\\(?:[A-Za-z]+|\\)")
# Math mode, "$x^2$", but not the "{$}" that stands for a dollar sign.
_MATH = re.compile(r"(?<![{\\])\$(?!\})(.+?)(?<![{\\])\$(?!\})")


@dataclass(frozen=True)
class FormattedReference:
    key: str
    html: Markup
    text: str


class Formatter:
    """Formats each entry once per build; with a ``BibCache``, once per change.

    The on-disk key is the entry's own text, the file's ``@string``
    definitions, the text of a ``crossref`` target, the style and its
    options; the warnings formatting gave are kept with the result, so a
    cached entry reports exactly what a fresh one would.
    """

    def __init__(self, bib: Bibliography, style: str = "vancouver", max_authors: int = 6, disk: BibCache | None = None):
        self.bib = bib
        self.disk = disk
        self.options_key = f"{style}/{max_authors}"
        self.style_name = style
        self.max_authors = max_authors
        self.problems = Problems()
        self._cache: dict[str, FormattedReference] = {}

    # -- the style and pybtex, made on the first cache miss ------------------------------

    @functools.cached_property
    def style(self) -> BaseStyle | None:
        from ..bib import pybtex_latex
        from ..styles import get_style

        pybtex_latex.install()
        return get_style(self.style_name, max_authors=self.max_authors)

    @functools.cached_property
    def fallback(self) -> BaseStyle:
        from ..styles.pybtex_style import VancouverStyle

        return self.style if isinstance(self.style, VancouverStyle) else VancouverStyle(self.max_authors)

    @functools.cached_property
    def direct(self) -> NlmFormatter | None:
        """Vancouver is written straight to HTML and text; pybtex's styles go through its template engine."""
        from ..styles.nlm import NlmFormatter

        return NlmFormatter(self.max_authors) if self.style is self.fallback else None

    @functools.cached_property
    def html_backend(self) -> Any:
        from .safe_backend import SafeHtmlBackend

        return SafeHtmlBackend()

    @functools.cached_property
    def text_backend(self) -> Any:
        from pybtex.backends.plaintext import Backend as PlaintextBackend

        return PlaintextBackend()

    def format(self, item: BibEntry) -> FormattedReference:
        cached = self._cache.get(item.key.lower())
        if cached is not None:
            return cached
        disk_key = self._disk_key(item) if self.disk is not None else ""
        stored = self.disk.get_formatted(disk_key) if self.disk is not None else None
        if stored is not None and safe_reference_html(stored[0]):  # cached HTML: held to the formatter's own rules
            html_text, plain, problems = stored
            self.problems.extend(problems)
            result = FormattedReference(key=item.key, html=Markup(html_text), text=plain)
        else:
            before = len(self.problems)
            self._check_fields(item)
            html_text, plain_text = self._formatted(item)
            result = FormattedReference(key=item.key, html=Markup(html_text), text=plain_text)
            if self.disk is not None:
                self.disk.put_formatted(disk_key, str(result.html), result.text, self.problems.items[before:])
        self._cache[item.key.lower()] = result
        return result

    def _disk_key(self, item: BibEntry) -> str:
        digest = hashlib.sha256(self.options_key.encode())
        digest.update(self.bib.strings_text.encode("utf-8", "surrogatepass"))
        digest.update(b"\0" + item.text.strip().encode("utf-8", "surrogatepass"))
        crossref = _CROSSREF.search(item.text)
        target = self.bib.get(crossref.group(1)) if crossref else None
        if target is not None:
            digest.update(b"\0" + target.text.strip().encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _formatted(self, item: BibEntry) -> tuple[str, str]:
        """(HTML, plain text) of the entry; the key when nothing the style shows is there."""
        from pybtex.richtext import Text

        from ..styles.nlm import plain, to_html

        if self.direct is not None:
            try:
                pieces = self.direct.format(item.entry, self.bib.data)
            except Exception as error:  # noqa: BLE001 - odd LaTeX must not stop a build
                pieces = [str(self._last_resort(item, error))]
            if plain(pieces).strip():
                return to_html(pieces).strip(), plain(pieces).strip()
            text = Text(f"{item.key}.")
        else:
            text = self._rich_text(item)
            if not str(text).strip():
                # Nothing the style shows is there (the missing-field warnings say
                # what); the key keeps the reference from vanishing.
                text = Text(f"{item.key}.")
        return text.render(self.html_backend).strip(), text.render(self.text_backend).strip()

    def _rich_text(self, item: BibEntry) -> Text:
        from pybtex.style.template import FieldIsMissing

        assert self.style is not None
        try:
            return self.style.format_entry(item.key, item.entry, bib_data=self.bib.data).text
        except (FieldIsMissing, AttributeError) as error:
            if self.style is self.fallback:
                return self._last_resort(item, error)
            # A built-in pybtex style that cannot format this entry: say so,
            # and fall back to the Vancouver template rather than drop it.
            reason = f"field '{error.field_name}'" if isinstance(error, FieldIsMissing) else "type"
            self.problems.warning(
                self.bib.path,
                item.line,
                f"entry '{item.key}': the '{self.style_name}' style cannot format it "
                f"(missing {reason}); formatted in the Vancouver style instead",
                kind="bib.style-fallback",
            )
            try:
                fallback: Text = self.fallback.format_entry(item.key, item.entry, bib_data=self.bib.data).text
                return fallback
            except Exception as fallback_error:  # noqa: BLE001 - reported, never fatal
                return self._last_resort(item, fallback_error)
        except Exception as error:  # noqa: BLE001 - odd LaTeX must not stop a build
            return self._last_resort(item, error)

    def _last_resort(self, item: BibEntry, error: Exception) -> Text:
        """The key and title as plain text, with a warning saying why."""
        from pybtex.richtext import Text

        self.problems.warning(
            self.bib.path,
            item.line,
            f"entry '{item.key}' could not be formatted ({type(error).__name__}: {error}); "
            "shown as its key and title only",
            kind="bib.unformattable",
        )
        title = item.entry.fields.get("title", "")
        return Text(f"{item.key}. {title}".strip())

    def _check_fields(self, item: BibEntry) -> None:
        from ..styles.vancouver import is_known_type, missing_fields, web_url

        if not is_known_type(item.type):
            self.problems.warning(
                self.bib.path,
                item.line,
                f"entry '{item.key}' has the unknown type '@{item.type}'; "
                "it is formatted like @misc (use @article, @book, @incollection, "
                "@inproceedings, @phdthesis, @techreport, @online or @misc)",
                kind="bib.unknown-type",
            )
        url = item.entry.fields.get("url")
        if url and web_url(url) is None:
            self.problems.warning(
                self.bib.path,
                item.line + _field_line_offset(item.text, "url"),
                f"entry '{item.key}': the url field is not an http(s) address, so it is shown as text, not as a link",
                kind="bib.url-not-http",
            )
        self._check_latex(item)
        for name in missing_fields(item.entry, self.bib.data):
            if misspelt_required(name, item.entry.fields.keys()):
                continue  # its misspelling is reported at its line (bib.unknown-field), naming this field
            self.problems.warning(
                self.bib.path,
                item.line,
                f"entry '{item.key}' has no {name} field, which a reference of type @{item.type} needs",
                kind="bib.missing-field",
            )

    def _check_latex(self, item: BibEntry) -> None:
        """Warn, at its line, about LaTeX that cannot be shown as text."""
        from ..styles.pybtex_style import VancouverStyle

        if isinstance(self.style, VancouverStyle):
            self._check_latex_converted(item)
        else:
            self._check_latex_as_written(item)

    def _latex_values(self, item: BibEntry, names: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
        """(field, value) for the fields to check (all but identifiers, or ``names``), names as written."""
        values = [
            (name, value)
            for name, value in item.entry.fields.items()
            if name.lower() not in VERBATIM_FIELDS and (names is None or name.lower() in names)
        ]
        for role, persons in item.entry.persons.items():
            for person in persons:
                # A name as written has a backslash or a dollar if its parts do.
                written = getattr(person, "name_text", None)
                if written is None or "\\" in written or "$" in written:
                    values.append((role, written if written is not None else str(person)))
        return values

    def _check_latex_converted(self, item: BibEntry) -> None:
        """The Vancouver style converts LaTeX itself; what it cannot is left out (and said here)."""
        from ..styles.vancouver import SHOWN_FIELDS

        reported: set[str] = set()
        for name, value in self._latex_values(item, SHOWN_FIELDS):
            if name in reported or ("\\" not in value and "$" not in value):
                continue
            converted = convert_latex(value)
            if not converted.unknown:
                continue
            reported.add(name)
            shown = converted.text if len(converted.text) <= 80 else converted.text[:77].rstrip() + "..."
            self.problems.warning(
                self.bib.path,
                item.line + _field_line_offset(item.text, name),
                f"entry '{item.key}': the {name} field has LaTeX that cannot be converted to text "
                f'({", ".join(converted.unknown[:3])}); it is shown without it, as "{shown}" '
                "(write it as plain text or Unicode, e.g. x\u00b2 for $x^2$)",
                kind="bib.latex-not-converted",
            )

    def _check_latex_as_written(self, item: BibEntry) -> None:
        """pybtex's own styles show LaTeX they do not know as written: say where."""
        from ..bib import pybtex_latex

        reported: set[str] = set()
        for name, value in self._latex_values(item):
            if name in reported or ("\\" not in value and "$" not in value):
                continue
            try:
                shown = pybtex_latex.shown_by_pybtex(value)
            except Exception:  # noqa: BLE001 - the formatter reports what it cannot read
                continue
            leftovers = sorted(set(_LEFTOVER_COMMAND.findall(shown)))
            for math in _MATH.finditer(value):
                try:
                    if "$" in pybtex_latex.shown_by_pybtex(math.group(0)):  # "$\alpha$" -> "α" is fine
                        leftovers.append(math.group(0))
                except Exception:  # noqa: BLE001
                    leftovers.append(math.group(0))
            if not leftovers:
                continue
            reported.add(name)
            self.problems.warning(
                self.bib.path,
                item.line + _field_line_offset(item.text, name),
                f"entry '{item.key}': the {name} field has LaTeX that cannot be shown as text "
                f"({', '.join(leftovers[:3])}); it appears as written "
                "(write it as plain text or Unicode, e.g. x\u00b2 for $x^2$)",
                kind="bib.latex-as-written",
            )
