"""Reading a .bib that has syntax errors: pybtex reads it again, and each error is
reported once, at the line where it is, with what to do; what follows from an
error already reported is not. BibTeX reads on after an error, and so does this.
"""

from __future__ import annotations

import bisect
import itertools
import re
from array import array

from pybtex.database.input.bibtex import NAME_CHARS, LowLevelParser, UndefinedMacro, month_names
from pybtex.scanner import PrematureEOF, PybtexSyntaxError, TokenRequired
from pybtex.utils import CaseInsensitiveDict

from ..problems import Problems

_NOT_SPACE = re.compile(r"\S")


class LineIndex:
    """Turns a character offset into a 1-based line number."""

    def __init__(self, text: str) -> None:
        self.text = text
        # an array of machine integers: a list of Python ints is 36 bytes a line
        self.starts = array("q", itertools.chain((0,), (m.end() for m in re.finditer(r"\r\n|\r|\n", text))))
        self._first_text: dict[int, int] = {}

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def first_text(self, line: int) -> int:
        """The offset of the first character of a line that is not whitespace (looked for once a line)."""
        found = self._first_text.get(line)
        if found is None:
            text = _NOT_SPACE.search(self.text, self.starts[line - 1])
            found = self._first_text[line] = text.start() if text is not None else len(self.text)
        return found


def _syntax_message(error: PybtexSyntaxError) -> str:
    reason = str(error.args[0]) if error.args else str(error)
    if isinstance(error, TokenRequired):
        if reason.startswith("entry key"):
            return "syntax error: the entry has no key (write @type{key, field = {...}, ...})"
        if reason in ("'}' expected", "')' expected"):
            return (
                f"syntax error: {reason[:3]} or ',' expected here (is a comma missing at the end of the line before?)"
            )
        if reason.startswith("'=' expected"):
            return "syntax error: '=' expected after the field name (write name = {value})"
        if "field value" in reason:
            return "syntax error: a field value is expected here (write name = {value})"
    if isinstance(error, PrematureEOF):
        return "syntax error: this entry is never closed (an unclosed '{' or '\"' in it, or a missing '}' at its end?)"
    if reason == "too many nested braces":
        return "syntax error: braces are nested more than 100 deep here (remove the extra braces)"
    return f"syntax error: {reason}"


def undefined_macro(name: str) -> str:
    return (
        f"undefined @string macro '{name}': it is read as empty, as BibTeX does "
        f"(define it with @string{{{name} = {{...}}}}, or put the value in braces)"
    )


_NAME_CLASS = re.escape(NAME_CHARS)
# An entry that starts a line: where BibTeX goes on after an entry left open.
_NEXT_ENTRY = re.compile(rf"[^\S\r\n]*[\r\n]\s*(@\s*[{_NAME_CLASS}][{_NAME_CLASS}0-9]*\s*[{{(])")
# Inside a value, a line that reads like a new field or entry (or a blank line):
# where a '{' that is never closed most likely should have been.
_SUSPECT = re.compile(rf"[{{}}]|(\n[ \t]*(?:[A-Za-z][\w-]*[ \t]*=|@[{_NAME_CLASS}]+[ \t]*[{{(]))|(\n[ \t]*\r?\n)")


_ENTRY_AT_LINE_START = re.compile(rf"[\r\n][ \t]*(@[ \t]*[{_NAME_CLASS}][{_NAME_CLASS}0-9]*\s*[{{(])")


class _RunsIntoNextEntry(PybtexSyntaxError):
    """Where a field name is expected, the next entry starts."""


class _Parser(LowLevelParser):
    """pybtex's scanner, going on at the next entry where an entry is left open, as BibTeX does.

    pybtex reads ``@article`` at the start of a line as a field name (its
    names may start with '@') and loses the entry; BibTeX reports the
    entry before and reads the next one.
    """

    pos: int
    text: str

    def parse_field(self) -> None:
        ahead = _NEXT_ENTRY.match(self.text, self.pos)
        if ahead is not None:
            self.pos = ahead.start(1)
            raise _RunsIntoNextEntry("'}' expected", self)
        super().parse_field()


def _unclosed_brace(text: str, start: int, stop: int) -> int | None:
    """The offset of the field's '{' that is most likely never closed in text[start:stop], if any.

    ``start`` is an entry's '@'. Inside a field's braces, a line like
    ``name =`` or ``@type{`` points at the '{' open there; failing that, a
    blank line does.
    """
    opener = text.find("{", start, stop)
    entry_depth = 1 if opener >= 0 and text.find("(", start, opener) < 0 else 0
    stack: list[int] = []
    blank: int | None = None
    for match in _SUSPECT.finditer(text, start, stop):
        token = match.group()
        if token == "{":
            stack.append(match.start())
        elif token == "}":
            if stack:
                stack.pop()
        elif len(stack) > entry_depth:
            if match.group(1):
                return stack[-1]
            if blank is None:
                blank = stack[-1]
    return blank


def _locate_syntax_error(text: str, lines: LineIndex, error: PybtexSyntaxError, command_start: int) -> tuple[int, str]:
    """Where to report a syntax error, and what to say."""
    pos = error.error_context_info[-1] if error.error_context_info else command_start
    reason = str(error.args[0]) if error.args else ""
    runs_on = isinstance(error, _RunsIntoNextEntry) or (
        isinstance(error, TokenRequired) and reason in ("'}' expected", "')' expected") and text.startswith("@", pos)
    )
    if runs_on or isinstance(error, PrematureEOF):
        stop = pos if runs_on else len(text)
        culprit = _unclosed_brace(text, command_start, stop)
        if culprit is not None:
            if runs_on:
                return culprit, (
                    "syntax error: this `{` is never closed, so the value runs on to the next entry, "
                    f"at line {lines.line(pos)} (add the missing `}}`)"
                )
            after = _ENTRY_AT_LINE_START.search(text, culprit)
            going_on = f"; the entries from line {lines.line(after.start(1))} on are read" if after else ""
            return culprit, (
                "syntax error: this `{` is never closed, so the value runs on to the end of the file "
                f"(add the missing `}}`{going_on})"
            )
        if runs_on:
            return command_start, (
                f"syntax error: this entry is never closed: the next entry starts at line {lines.line(pos)} "
                "(add a `}` at the end of this one)"
            )
        return command_start, _syntax_message(error)
    if isinstance(error, TokenRequired) and reason in ("'}' expected", "')' expected"):
        mistaken = _mistaken_comment_or_quote(text, lines, pos, command_start)
        if mistaken is not None:
            return mistaken
    if isinstance(error, TokenRequired) and reason in ("'}' expected", "')' expected") and text.startswith("=", pos):
        return pos, (
            "syntax error: the entry has no key, so its first field name is read as the key "
            "(write @type{key, field = {...}, ...})"
        )
    if isinstance(error, TokenRequired) and reason in ("'(' or '{' expected", "a valid name expected"):
        written = text[command_start : min(pos + 1, command_start + 40)].split("\n")[0].strip()
        return command_start, (
            f"syntax error: '@' starts an entry, but '{written}' is none (outside entries, "
            "write 'at' for '@', or put the text in @comment{...})"
        )
    return pos, _syntax_message(error)


def _is_keyless(text: str, error: PybtexSyntaxError, command_start: int) -> bool:
    """An entry without a key: '@type{,' or '@type{name = ...' (its first field name read as the key)."""
    if not isinstance(error, TokenRequired):
        return False
    reason = str(error.args[0]) if error.args else ""
    pos = error.error_context_info[-1] if error.error_context_info else command_start
    return reason.startswith("entry key") or (reason in ("'}' expected", "')' expected") and text.startswith("=", pos))


def _line_start(text: str, pos: int) -> int:
    newline = text.rfind("\n", 0, pos)
    return max(newline, text.rfind("\r", newline + 1, pos)) + 1


def _mistaken_comment_or_quote(text: str, lines: LineIndex, pos: int, command_start: int) -> tuple[int, str] | None:
    """Where a field was expected: a line "commented out" with '%', or a '"' that ended a quoted value early."""
    at = pos
    while at < len(text) and text[at].isspace():
        at += 1
    if text.startswith("%", at):
        entry_line = text[_line_start(text, command_start) : command_start]
        if "%" in entry_line:
            return command_start, (
                "syntax error: this entry is \"commented out\" with '%', but '%' is not a comment in a .bib file: "
                "the entry is read from its '@' on, and the '%' lines in it are errors "
                "(to remove the entry, delete it; to keep a copy, remove its '@')"
            )
        return at, (
            "syntax error: '%' is not a comment in a .bib file, so this line is read as part of the entry "
            "(delete the line)"
        )
    before = text[_line_start(text, pos) : pos].rstrip()
    quoted = re.search(r'([^\s=,{]+)\s*=\s*"[^"]*"$', before)
    if quoted is not None:
        word = (text[at : at + 30].split() or [""])[0].rstrip(',"')
        return pos, (
            f"syntax error: the '\"' before '{word}' ends the quoted {quoted.group(1)} value early, so the rest "
            f"of it is not read (put the value in braces instead: {quoted.group(1)} = {{...}}, "
            "where a '\"' is just a character)"
        )
    return None


Read = tuple[str, str, list[tuple[str, list[str]]], int, int, bool]  # type, key, fields, start, end, broken


def read_with_pybtex(text: str, path: str, lines: LineIndex, problems: Problems) -> list[Read]:
    """Every entry pybtex reads, with its syntax errors and undefined macros reported."""
    raw_errors: list[tuple[PybtexSyntaxError, int]] = []
    parser: _Parser

    def handle_error(error: PybtexSyntaxError) -> None:
        raw_errors.append((error, parser.command_start or 0))

    entries: list[Read] = []
    macros = CaseInsensitiveDict(month_names)
    resume: int | None = 0
    while resume is not None:
        parser = _Parser(text, macros=macros, handle_error=handle_error)
        parser.pos = resume
        resume = None
        errors_before = len(raw_errors)
        try:
            for command, body in parser:
                if command.lower() in ("string", "preamble"):
                    continue
                key, fields = body
                if key is None:
                    continue
                entries.append((command, key, fields, parser.command_start or 0, parser.pos, False))
        except RecursionError:
            problems.error(path, 1, "braces are nested too deeply to read", kind="bib.nested-too-deeply")
            break
        if len(raw_errors) > errors_before:  # each pass reads on from further down, or stops
            resume = _resume_after_eof(text, raw_errors)
    failed: set[int] = set()  # where the commands with a syntax error start
    for error, command_start in raw_errors:
        if isinstance(error, UndefinedMacro):
            pos = error.error_context_info[-1] if error.error_context_info else command_start
            problems.warning(path, lines.line(pos), undefined_macro(str(error.args[0])), kind="bib.undefined-macro")
            continue
        follows = bool(failed) and _is_follow_up(lines, error, command_start)
        failed.add(command_start)
        if follows:
            continue
        where, message = _locate_syntax_error(text, lines, error, command_start)
        if _is_keyless(text, error, command_start):
            problems.error(path, lines.line(where), message, kind="bib.no-key")
        else:
            problems.error(path, lines.line(where), message, kind="bib.syntax")
    return [(c, k, f, start, end, start in failed) for c, k, f, start, end, _ in entries]


def _resume_after_eof(text: str, raw_errors: list[tuple[PybtexSyntaxError, int]]) -> int | None:
    """Where to read on when a '{' that is never closed ran to the end of the file.

    BibTeX and pybtex lose every entry after it; the error names the '{',
    and the entries that start a line after it are read as if it were closed.
    """
    if not raw_errors or not isinstance(raw_errors[-1][0], PrematureEOF):
        return None
    command_start = raw_errors[-1][1]
    culprit = _unclosed_brace(text, command_start, len(text))
    after = _ENTRY_AT_LINE_START.search(text, culprit) if culprit is not None else None
    return after.start(1) if after is not None else None


def _is_follow_up(lines: LineIndex, error: PybtexSyntaxError, command_start: int) -> bool:
    """An '@' in the middle of a line that starts no entry, found while skipping the rest of a broken one."""
    reason = str(error.args[0]) if error.args else ""
    if not (isinstance(error, TokenRequired) and reason in ("'(' or '{' expected", "a valid name expected")):
        return False
    # (Found once a line: many '@' on one line made this n^2.)
    return lines.first_text(lines.line(command_start)) < command_start
